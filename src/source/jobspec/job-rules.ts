/**
 * What Nomad's job endpoint refuses of a job beyond Job.Validate (nomad-validate/ checks that): its admission
 * rules (priority within the servers' range, v2.0.5; 0 is taken for their default first) and an ID too long for
 * a request path, checked offline at the attribute that causes it, so nothing is sent for it.
 */
import { isNumber, toFloat64 } from '../hcl/numbers.js';
import type { Block, Body } from '../hcl/ast.js';
import { error, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import type { Value } from '../hcl/types.js';
import type { Verdict } from './verdict.js';

type Obj = { [key: string]: Value };

/** Go's net/http reads request lines up to 1 MiB: a job whose escaped ID is longer cannot be read or planned. */
const MAX_ESCAPED_ID = 1_000_000;
/** The servers' job_max_priority unless raised. */
const DEFAULT_MAX_PRIORITY = 100;
/** The servers' job_default_priority unless set: what a job of priority 0 gets. */
const DEFAULT_PRIORITY = 50;

/** Where an attribute's value stands in a body. */
export const attributeRange = (body: Body, name: string): Range | undefined =>
  body.attributes.find((a) => a.name === name)?.expr.range;

/** Where a rule points: the job's ID or priority. */
export type FieldAt = (field: 'id' | 'priority') => Range;

/** Positions in an HCL job block: the label for the ID, else the attribute or the block. */
export function hclPositions(jobBlock: Block): FieldAt {
  return (field) =>
    field === 'id'
      ? (jobBlock.labels[0]?.range ?? jobBlock.typeRange)
      : (attributeRange(jobBlock.body, field) ?? jobBlock.typeRange);
}

export function jobRules(job: Obj, at: FieldAt, verdict: Verdict): Diagnostic[] {
  const found: Diagnostic[] = [];
  const id = String(job.ID ?? '');
  if (encodeURIComponent(id).length > MAX_ESCAPED_ID)
    found.push(
      error(
        at('id'),
        'Job ID too long',
        `This ID is ${id.length.toLocaleString('en-US')} characters; Nomad reads a request's path up to 1 MiB, so a job with it can be neither planned nor read.`,
      ),
    );
  const priority = isNumber(job.Priority) ? toFloat64(job.Priority) : undefined;
  if (priority === 0)
    found.push({
      severity: 'warning',
      summary: 'Job priority 0',
      detail: `Nomad's servers take 0 for no priority: they register the job with their default priority (job_default_priority, ${DEFAULT_PRIORITY} unless they set another).`,
      range: at('priority'),
    });
  else if (priority !== undefined && priority < 1)
    found.push(
      // nomad job validate lets it pass: only the servers' admission refuses it, whatever their edition.
      verdict === 'validate'
        ? {
            severity: 'warning',
            summary: 'Job priority below 1',
            detail: `Nomad's servers refuse it at registration: job priority must be between [1, ${DEFAULT_MAX_PRIORITY}] (nomad job validate does not check it; drover plan refuses it).`,
            range: at('priority'),
          }
        : error(
            at('priority'),
            'Invalid job priority',
            `job priority must be between [1, ${DEFAULT_MAX_PRIORITY}]`,
          ),
    );
  else if (priority !== undefined && priority > DEFAULT_MAX_PRIORITY)
    found.push({
      severity: 'warning',
      summary: 'Job priority above 100',
      detail: `Nomad refuses priorities above its servers' job_max_priority, ${DEFAULT_MAX_PRIORITY} unless they raise it.`,
      range: at('priority'),
    });
  return found;
}
