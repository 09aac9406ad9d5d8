/**
 * Saved plans: the Plan (desired jobs, planned JobModifyIndex and action per job, the settings that shaped it),
 * drover's version and a SHA-256 checksum over a canonical encoding. Never a token: settings hold the address,
 * never credentials. A modified or corrupt file is refused.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors.js';
import type { Plan } from './model.js';

/** Version 2 keys every change on its address (cluster, kind, namespace, name). */
export const PLAN_FILE_FORMAT = 'drover-plan/2';

interface PlanFile {
  readonly format: string;
  readonly drover_version: string;
  readonly checksum: string;
  readonly plan: Plan;
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

function checksum(version: string, plan: Plan): string {
  return createHash('sha256')
    .update(canonical({ format: PLAN_FILE_FORMAT, drover_version: version, plan }))
    .digest('hex');
}

/** The plan's own fingerprint (what the stack's history records): the same plan, the same checksum. */
export function planChecksum(plan: Plan): string {
  return createHash('sha256').update(canonical(plan)).digest('hex');
}

export function serializePlan(plan: Plan, droverVersion: string): string {
  const file: PlanFile = {
    format: PLAN_FILE_FORMAT,
    drover_version: droverVersion,
    checksum: checksum(droverVersion, plan),
    plan,
  };
  return `${JSON.stringify(file)}\n`;
}

export function parsePlanFile(text: string, path: string): { plan: Plan; droverVersion: string } {
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
  if (!file.plan || !Array.isArray(file.plan.changes) || typeof file.checksum !== 'string')
    throw refuse('it is incomplete');
  if (checksum(file.drover_version, file.plan) !== file.checksum)
    throw refuse('its checksum does not match: the file was changed after drover wrote it');
  // Before its notes about the stack were typed, drover wrote them as text: this drover cannot word them.
  if ((file.plan.notes ?? []).some((note) => typeof note !== 'object' || note === null))
    throw refuse(`it was saved by drover ${file.drover_version}, which wrote the plan's notes as text`);
  return { plan: file.plan, droverVersion: file.drover_version };
}
