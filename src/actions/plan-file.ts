import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { Plan } from '../plan/model.js';
import {
  parsePlanFile,
  parseSavedProject,
  PLAN_FILE_FORMAT,
  serializePlan,
  serializeProjectPlan,
} from '../plan/plan-file.js';
import type { ProjectPlan } from '../plan/project-plan.js';

export function savePlanFile(path: string, plan: Plan, droverVersion: string): void {
  writeFileSync(path, serializePlan(plan, droverVersion), { mode: 0o600 });
}

/** A project's plan, every cluster's part in one file (one Nomad's plan as savePlanFile writes it). */
export function saveProjectPlanFile(path: string, project: ProjectPlan, droverVersion: string): void {
  writeFileSync(path, serializeProjectPlan(project, droverVersion), { mode: 0o600 });
}

export function loadPlanFile(path: string): { plan: Plan; droverVersion: string } {
  return parsePlanFile(readPlanText(path), path);
}

/** A saved plan of one Nomad or of a project's clusters. */
export function loadSavedProject(path: string): { project: ProjectPlan; droverVersion: string } {
  return parseSavedProject(readPlanText(path), path);
}

function readPlanText(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      { code: 'unreadable' },
    );
  }
  return text;
}

/** Whether the file is a saved plan, known by what it holds (its name may be anything: tfplan, plan.out, …). */
export function isPlanFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const text = readFileSync(path, 'utf8');
    if (!text.trimStart().startsWith('{')) return false;
    const format = (JSON.parse(text) as { format?: unknown }).format;
    return typeof format === 'string' && format.split('/')[0] === PLAN_FILE_FORMAT.split('/')[0];
  } catch {
    return false;
  }
}
