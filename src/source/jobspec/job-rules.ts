/**
 * What Nomad refuses of a job that decodes (nomad/structs Job.Validate and the job endpoint's admission,
 * v2.0.5), checked offline at the attribute that causes it: validate then catches what register would refuse,
 * and nothing is sent for it.
 */
import { formatNumber, isNumber, toFloat64 } from '../hcl/numbers.js';
import type { Block, Body } from '../hcl/ast.js';
import { error, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import type { Value } from '../hcl/types.js';

type Obj = { [key: string]: Value };

const JOB_TYPES = ['service', 'batch', 'system', 'sysbatch'];
/** Go's net/http reads request lines up to 1 MiB: a job whose escaped ID is longer cannot be read or planned. */
const MAX_ESCAPED_ID = 1_000_000;
/** The servers' job_max_priority unless raised. */
const DEFAULT_MAX_PRIORITY = 100;

/** Where an attribute's value stands in a body. */
export const attributeRange = (body: Body, name: string): Range | undefined =>
  body.attributes.find((a) => a.name === name)?.expr.range;

/** Where a rule points: a job field, or a group (its label) or a group's field. */
export type FieldAt = (
  field: 'id' | 'name' | 'type' | 'priority' | 'count' | 'group',
  group?: string,
) => Range;

/** Positions in an HCL job block: the attribute, else the block that should hold it. */
export function hclPositions(jobBlock: Block): FieldAt {
  const idRange = jobBlock.labels[0]?.range ?? jobBlock.typeRange;
  const groups = jobBlock.body.blocks.filter((b) => b.type === 'group');
  return (field, group) => {
    if (field === 'id') return idRange;
    if (field === 'count' || field === 'group') {
      const block = groups.find((b) => b.labels[0]?.value === group);
      if (field === 'group') return block?.labels[0]?.range ?? jobBlock.typeRange;
      return (block && attributeRange(block.body, 'count')) ?? block?.typeRange ?? jobBlock.typeRange;
    }
    return attributeRange(jobBlock.body, field) ?? (field === 'name' ? idRange : jobBlock.typeRange);
  };
}

export function jobRules(job: Obj, at: FieldAt): Diagnostic[] {
  const found: Diagnostic[] = [];
  const id = String(job.ID ?? '');
  if (id === '')
    found.push(error(at('id'), 'Missing job ID', 'The job label is its ID; it may not be empty.'));
  else if (id.includes(' '))
    found.push(error(at('id'), 'Job ID contains a space', 'Nomad refuses spaces in job IDs.'));
  else if (id.includes('\0'))
    found.push(error(at('id'), 'Job ID contains a null character', 'Nomad refuses NUL in job IDs.'));
  else if (encodeURIComponent(id).length > MAX_ESCAPED_ID)
    found.push(
      error(
        at('id'),
        'Job ID too long',
        `This ID is ${id.length.toLocaleString('en-US')} characters; Nomad reads a request's path up to 1 MiB, so a job with it can be neither planned nor read.`,
      ),
    );
  if (typeof job.Name === 'string' && job.Name.includes('\0'))
    found.push(error(at('name'), 'Job Name contains a null character'));
  const type = job.Type;
  if (typeof type === 'string' && !JOB_TYPES.includes(type))
    found.push(
      error(
        at('type'),
        `Invalid job type: "${type}"`,
        `A job's type is one of ${JOB_TYPES.map((t) => `"${t}"`).join(', ')}.`,
      ),
    );
  const priority = isNumber(job.Priority) ? toFloat64(job.Priority) : undefined;
  if (priority !== undefined) {
    if (priority < 1)
      found.push(
        error(
          at('priority'),
          'Invalid job priority',
          `job priority must be between [1, ${DEFAULT_MAX_PRIORITY}]`,
        ),
      );
    else if (priority > DEFAULT_MAX_PRIORITY)
      found.push({
        severity: 'warning',
        summary: 'Job priority above 100',
        detail: `Nomad refuses priorities above its servers' job_max_priority, ${DEFAULT_MAX_PRIORITY} unless they raise it.`,
        range: at('priority'),
      });
  }
  for (const group of (job.TaskGroups as Obj[] | null) ?? []) {
    if (group.Name === '')
      found.push(error(at('group', ''), 'Missing task group name', 'A group label may not be empty.'));
    if (!isNumber(group.Count) || toFloat64(group.Count) >= 0) continue;
    found.push(
      error(
        at('count', String(group.Name)),
        "Task group count can't be negative",
        `Group "${String(group.Name)}" has count ${formatNumber(group.Count)}; 0 keeps the group without allocations.`,
      ),
    );
  }
  return found;
}
