/**
 * What a change shows, as typed lines: each kind says which lines its change has (kinds/job/lines.ts,
 * kinds/object-lines.ts); render/ words and paints them, as text or in a pull-request comment. Lines are data
 * only: no colour, no words beyond Nomad's own names and values.
 */
import type { Action, DesiredUpdates, DiffType, FieldDiff, KindName } from '../plan/model.js';

/** How deep a line sits under its change's symbol line: 0 for the change's own fields, +1 per level. */
type Depth = number;

export type ChangeLine =
  /** What happens to the object, and in which wave: `# web will be updated  [wave 1]`. */
  | {
      readonly type: 'heading';
      readonly kind: KindName;
      readonly name: string;
      /** Named when it is not the plan's namespace. */
      readonly namespace?: string;
      readonly action: Action;
      readonly wave: number;
      /** The diff below was computed by drover, not Nomad's plan endpoint. */
      readonly computedLocally: boolean;
    }
  /** The object by its symbol: `~ job "web"  jobs/web.nomad.hcl`. */
  | {
      readonly type: 'symbol';
      readonly kind: KindName;
      readonly name: string;
      readonly action: Action;
      readonly file?: string;
    }
  /** One field: added, deleted, edited (a multi-line value as a line diff) or, where a whole object is shown, unchanged. */
  | { readonly type: 'field'; readonly depth: Depth; readonly field: FieldDiff }
  /** A nested object of a job's spec opens (`~ Template {`); its fields and objects follow one level deeper. */
  | { readonly type: 'object'; readonly depth: Depth; readonly diff: DiffType; readonly name: string }
  | { readonly type: 'object-end'; readonly depth: Depth }
  /** A task group that changes, with what Nomad's scheduler would do to its allocations. */
  | {
      readonly type: 'group';
      readonly diff: DiffType;
      readonly name: string;
      readonly scheduler?: DesiredUpdates;
    }
  /** A task that changes, with Nomad's annotations ("forces create/destroy update"). */
  | {
      readonly type: 'task';
      readonly diff: DiffType;
      readonly name: string;
      readonly annotations: readonly string[];
    }
  /** A new job's group, in short: its count, its tasks and what the scheduler would place. */
  | {
      readonly type: 'new-group';
      readonly name: string;
      readonly count: number;
      readonly tasks: readonly string[];
      readonly scheduler?: DesiredUpdates;
    }
  /** A promote: every canary group of the deployment. */
  | { readonly type: 'promote'; readonly deploymentId: string }
  /** A revert: the version whose spec is registered again, and the version the job is at. */
  | { readonly type: 'revert'; readonly fromVersion: number; readonly toVersion: number }
  /** A group whose live count is kept (--preserve-counts), and the count its file says. */
  | {
      readonly type: 'preserved-count';
      readonly group: string;
      readonly live: number;
      readonly file: number;
    };

/** The fields that change; with `all`, the unchanged ones too (an object added or deleted whole). */
export function fieldLines(fields: readonly FieldDiff[] | null, depth: number, all = false): ChangeLine[] {
  const out: ChangeLine[] = [];
  for (const field of fields ?? [])
    if (all || field.Type !== 'None') out.push({ type: 'field', depth, field });
  return out;
}
