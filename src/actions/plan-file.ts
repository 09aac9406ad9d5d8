import { readFileSync, writeFileSync } from 'node:fs';
import { UserError } from '../errors.js';
import type { Plan } from '../plan/model.js';
import { parsePlanFile, serializePlan } from '../plan/plan-file.js';

export function savePlanFile(path: string, plan: Plan, droverVersion: string): void {
  writeFileSync(path, serializePlan(plan, droverVersion), { mode: 0o600 });
}

export function loadPlanFile(path: string): { plan: Plan; droverVersion: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      { code: 'unreadable' },
    );
  }
  return parsePlanFile(text, path);
}
