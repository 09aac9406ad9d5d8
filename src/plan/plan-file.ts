/**
 * Saved plans: the Plan (desired jobs, planned JobModifyIndex and action per job, the settings that shaped it),
 * drover's version and a SHA-256 checksum over a canonical encoding. Never a token: settings hold the address,
 * never credentials. A modified or corrupt file is refused.
 */
import { UserError } from '../errors.js';
import { crypto } from '../util/crypto.js';
import type { Plan } from './model.js';
import { isPlanned, singlePlan, type PlannedPart, type ProjectPlan } from './project-plan.js';

/** Version 2 keys every change on its address (cluster, kind, namespace, name). */
export const PLAN_FILE_FORMAT = 'drover-plan/2';

/** One Nomad's plan in `plan`; a project with cluster blocks keeps each cluster's plan in `clusters`. */
interface PlanFile {
  readonly format: string;
  readonly drover_version: string;
  readonly checksum: string;
  readonly plan?: Plan;
  readonly clusters?: readonly PlannedPart[];
}

/** JSON with object keys sorted at every level, so the checksum does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

function checksum(version: string, content: Pick<PlanFile, 'plan' | 'clusters'>): string {
  return crypto()
    .createHash('sha256')
    .update(canonical({ format: PLAN_FILE_FORMAT, drover_version: version, ...content }))
    .digest('hex');
}

/** The plan's own fingerprint (what the stack's history records): the same plan, the same checksum. */
export function planChecksum(plan: Plan): string {
  // Its checks' results are left out: apply evaluates a saved plan's again, and it is the same plan.
  const { checks: _results, ...changes } = plan;
  return crypto().createHash('sha256').update(canonical(changes)).digest('hex');
}

export function serializePlan(plan: Plan, droverVersion: string): string {
  const file: PlanFile = {
    format: PLAN_FILE_FORMAT,
    drover_version: droverVersion,
    checksum: checksum(droverVersion, { plan }),
    plan,
  };
  return `${JSON.stringify(file)}\n`;
}

/**
 * A project's plan: as one plan while drover.hcl declares no clusters (the file reads as it always has), else
 * every cluster's. A cluster that could not be planned has no plan to carry out: such a project is not saved.
 */
export function serializeProjectPlan(project: ProjectPlan, droverVersion: string): string {
  const single = singlePlan(project);
  if (single) return serializePlan(single, droverVersion);
  const clusters = project.parts.map((part) => {
    if (!isPlanned(part))
      throw new UserError(`the plan was not saved: cluster "${part.cluster}" could not be planned`, {
        code: 'plan_incomplete',
        hint: 'Plan again once every cluster answers, or leave it out with --cluster.',
      });
    return part;
  });
  const file: PlanFile = {
    format: PLAN_FILE_FORMAT,
    drover_version: droverVersion,
    checksum: checksum(droverVersion, { clusters }),
    clusters,
  };
  return `${JSON.stringify(file)}\n`;
}

/** A saved plan of one Nomad (a file saved for a project with clusters is refused: parseSavedProject reads it). */
export function parsePlanFile(text: string, path: string): { plan: Plan; droverVersion: string } {
  const { project, droverVersion } = parseSavedProject(text, path);
  const [only] = project.parts;
  const plan = project.parts.length === 1 && isPlanned(only) ? only.plan : undefined;
  if (!plan)
    throw new UserError(`${path} holds the plans of ${project.parts.length} clusters, not one`, {
      code: 'bad_plan_file',
      hint: 'drover apply and drover show read it whole.',
    });
  return { plan, droverVersion };
}

/** A saved plan, of one Nomad or of a project's clusters, checked whole. */
export function parseSavedProject(
  text: string,
  path: string,
): { project: ProjectPlan; droverVersion: string } {
  const refuse = (why: string, hint = 'Run drover plan --out again to make a new plan.') =>
    new UserError(`${path} is not a usable plan: ${why}`, { code: 'bad_plan_file', hint });
  let file: PlanFile;
  try {
    file = JSON.parse(text) as PlanFile;
  } catch (error) {
    throw refuse(`it is not valid JSON (${(error as Error).message})`);
  }
  const format: unknown = file && typeof file === 'object' ? file.format : undefined;
  if (typeof format === 'string' && format.startsWith('drover-plan/') && format !== PLAN_FILE_FORMAT)
    throw refuse(
      `it was saved in format "${format}" by another version of drover, which reads "${PLAN_FILE_FORMAT}"`,
    );
  if (format !== PLAN_FILE_FORMAT)
    throw new UserError(
      typeof format === 'string'
        ? `${path} is not a drover plan: its "format" is ${JSON.stringify(format)}, not "${PLAN_FILE_FORMAT}"`
        : `${path} is not a drover plan: it has no "format", where a saved plan has "format": "${PLAN_FILE_FORMAT}"`,
      {
        code: 'bad_plan_file',
        hint: 'drover show and drover apply read a plan saved by drover plan --out FILE.',
      },
    );
  const complete = (plan: Plan | undefined) =>
    plan !== undefined && plan !== null && Array.isArray(plan.changes);
  const clusters = Array.isArray(file.clusters) && file.clusters.length > 0 ? file.clusters : undefined;
  if (
    typeof file.checksum !== 'string' ||
    (clusters
      ? !clusters.every((part) => complete(part?.plan) && typeof part.cluster === 'string')
      : !complete(file.plan))
  )
    throw refuse('it is incomplete');
  const content = clusters ? { clusters } : { plan: file.plan };
  if (checksum(file.drover_version, content) !== file.checksum)
    throw refuse('its checksum does not match: the file was changed after drover wrote it');
  // Before its notes about the stack were typed, drover wrote them as text: this drover cannot word them.
  const plans = clusters ? clusters.map((part) => part.plan) : [file.plan!];
  if (
    plans.some((plan) =>
      (plan.notes ?? []).some((note: unknown) => typeof note !== 'object' || note === null),
    )
  )
    throw refuse(`it was saved by drover ${file.drover_version}, which wrote the plan's notes as text`);
  const project: ProjectPlan = clusters
    ? { parts: [clusters[0]!, ...clusters.slice(1)] }
    : { parts: [{ cluster: file.plan!.settings.cluster, after: [], plan: file.plan! }] };
  return { project, droverVersion: file.drover_version };
}
