/**
 * A plan as typed lines, built once: its title, each change's lines (as its kind gives them), what could not be
 * planned, the notes about the stack, the warnings about changes and the summary. Data only; the human and the
 * Markdown renderers word and paint them.
 */
import type { CheckReport } from '../plan/check-report.js';
import type { ChangeLine } from '../kinds/change-lines.js';
import { jobLines } from '../kinds/job/lines.js';
import { objectLines } from '../kinds/object-lines.js';
import {
  countByAction,
  countByKind,
  hasChanges,
  ignoredFieldCount,
  type Action,
  type Change,
  type ChangeNote,
  type KindName,
  type Plan,
  type PlanSettings,
  type StackNote,
  type UnseenKind,
} from '../plan/model.js';

export interface PlanSummary {
  readonly changes: boolean;
  readonly destroy: boolean;
  readonly stack?: string;
  readonly counts: Readonly<Record<Action, number>>;
  /** Per kind, in plan order, for the kinds that change. */
  readonly byKind: ReadonlyMap<KindName, Readonly<Record<Action, number>>>;
  /** Fields that changed but are not shown (drover's stamp, server-filled fields). */
  readonly ignored: number;
}

export type PlanLine =
  | { readonly type: 'title'; readonly command: string; readonly settings: PlanSettings }
  | { readonly type: 'change'; readonly change: Change; readonly lines: readonly ChangeLine[] }
  | { readonly type: 'unseen'; readonly unseen: UnseenKind }
  | { readonly type: 'note'; readonly note: StackNote; readonly planNamespace: string }
  | { readonly type: 'warning'; readonly name: string; readonly note: ChangeNote }
  /** The project's checks as evaluated on the plan (drover.hcl `check` blocks). */
  | { readonly type: 'checks'; readonly report: CheckReport }
  | { readonly type: 'summary'; readonly summary: PlanSummary };

/** `command` names the first line's command (default "drover plan", or "drover plan --destroy"). */
export function planLines(plan: Plan, command?: string): PlanLine[] {
  const { settings } = plan;
  const lines: PlanLine[] = [
    {
      type: 'title',
      command: command ?? (settings.destroy ? 'drover plan --destroy' : 'drover plan'),
      settings,
    },
  ];
  for (const change of plan.changes)
    if (change.action !== 'noop')
      lines.push({ type: 'change', change, lines: changeLines(change, settings.namespace) });
  for (const unseen of plan.unseen ?? []) lines.push({ type: 'unseen', unseen });
  for (const note of plan.notes ?? []) lines.push({ type: 'note', note, planNamespace: settings.namespace });
  for (const change of plan.changes)
    for (const note of change.notes) lines.push({ type: 'warning', name: change.address.name, note });
  if (plan.checks && plan.checks.results.length > 0) lines.push({ type: 'checks', report: plan.checks });
  lines.push({ type: 'summary', summary: summaryOf(plan) });
  return lines;
}

/** A change's lines, as its kind gives them. */
export function changeLines(change: Change, planNamespace: string): ChangeLine[] {
  return change.kind === 'job' ? jobLines(change, planNamespace) : objectLines(change, planNamespace);
}

export function summaryOf(plan: Plan): PlanSummary {
  return {
    changes: hasChanges(plan),
    destroy: plan.settings.destroy ?? false,
    ...(plan.settings.stack ? { stack: plan.settings.stack } : {}),
    counts: countByAction(plan),
    byKind: countByKind(plan),
    ignored: ignoredFieldCount(plan),
  };
}
