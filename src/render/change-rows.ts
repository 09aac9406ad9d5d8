/**
 * A change's lines in words and colour, as rows: an indent, the diff column's mark, the text, and a grey aside.
 * The human renderer prints a row as it stands; the Markdown renderer moves its mark to the first column, as a
 * ```diff block wants it.
 */
import { structuredPatch } from 'diff';
import type { ChangeLine } from '../kinds/change-lines.js';
import {
  ACTION_SYMBOL,
  KIND_NOUNS,
  type Action,
  type DesiredUpdates,
  type DiffType,
  type FieldDiff,
} from '../plan/model.js';
import type { Hue, Paint, Palette } from './palette.js';

export interface Row {
  readonly indent: number;
  /** The diff column: + - ~ or an action's symbol; painted alone unless the whole row is. */
  readonly mark?: string;
  /** What follows the mark (a space first, where the mark has one after it). */
  readonly text: string;
  /** The whole row's paint, indent and mark included. */
  readonly paint?: Paint;
  /** Painted on its own after the row: the wave, the file, the scheduler's counts. */
  readonly aside?: string;
}

const VERB: Readonly<Record<Action, string>> = {
  create: 'will be created',
  update: 'will be updated',
  start: 'will be started (it is stopped)',
  adopt: 'will be adopted by this stack',
  promote: 'will be promoted (unchanged; its canaries are healthy and wait)',
  revert: 'will be reverted',
  delete: 'will be deleted',
  noop: 'is unchanged',
};

const ACTION_HUE: Readonly<Record<Action, Hue>> = {
  create: 'green',
  update: 'yellow',
  start: 'cyan',
  adopt: 'magenta',
  promote: 'blue',
  revert: 'yellow',
  delete: 'red',
  noop: 'gray',
};

const SCHEDULER_ORDER: ReadonlyArray<readonly [keyof DesiredUpdates, string]> = [
  ['Place', 'to place'],
  ['DestructiveUpdate', 'destructive update'],
  ['InPlaceUpdate', 'in-place update'],
  ['Canary', 'canary'],
  ['Stop', 'to stop'],
  ['Migrate', 'to migrate'],
  ['Preemptions', 'preemption'],
  ['Ignore', 'unchanged'],
];

/** Where a change's own fields start: under its symbol line's name. */
const BODY_INDENT = 6;

export function changeRows(lines: readonly ChangeLine[], action: Action, palette: Palette): Row[] {
  const rows: Row[] = [];
  const marks = marksOf(palette);
  for (const line of lines) {
    if (line.type === 'field') fieldRows(line.field, BODY_INDENT + 4 * line.depth, marks, rows);
    else rows.push(lineRow(line, action, palette));
  }
  return rows;
}

/** A field's marks and paints, painted once per change: a plan may hold hundreds of thousands of fields. */
interface FieldMarks {
  readonly added: string;
  readonly deleted: string;
  readonly edited: string;
  readonly gray: Paint;
  readonly green: Paint;
  readonly red: Paint;
  readonly cyan: Paint;
}

function marksOf(palette: Palette): FieldMarks {
  const [green, red, gray, cyan] = (['green', 'red', 'gray', 'cyan'] as const).map(palette.hue) as [
    Paint,
    Paint,
    Paint,
    Paint,
  ];
  return { added: green('+'), deleted: red('-'), edited: palette.hue('yellow')('~'), gray, green, red, cyan };
}

/** A row as the human renderer prints it. */
export function rowText(row: Row): string {
  const body = `${' '.repeat(row.indent)}${row.mark ?? ''}${row.text}`;
  return (row.paint ? row.paint(body) : body) + (row.aside ?? '');
}

function lineRow(line: Exclude<ChangeLine, { type: 'field' }>, action: Action, palette: Palette): Row {
  const gray = palette.hue('gray');
  const actionPaint = palette.hue(ACTION_HUE[action]);
  switch (line.type) {
    case 'heading': {
      const where = line.namespace === undefined ? '' : ` (namespace ${line.namespace})`;
      const what = line.kind === 'job' ? line.name : `${KIND_NOUNS[line.kind].one} "${line.name}"`;
      return {
        indent: 2,
        text: `# ${what}${where} ${VERB[line.action]}`,
        paint: palette.bold,
        aside: gray(`  [wave ${line.wave + 1}${line.computedLocally ? ', computed locally' : ''}]`),
      };
    }
    case 'symbol':
      return {
        indent: 2,
        mark: ACTION_SYMBOL[line.action],
        text: ` ${KIND_NOUNS[line.kind].one} "${line.name}"`,
        paint: actionPaint,
        ...(line.file ? { aside: gray(`  ${line.file}`) } : {}),
      };
    case 'promote':
      return {
        indent: BODY_INDENT,
        text: `deployment ${line.deploymentId.slice(0, 8)}: promote every canary group`,
        paint: actionPaint,
      };
    case 'revert':
      return {
        indent: BODY_INDENT,
        text: `to version ${line.toVersion}'s spec (now version ${line.fromVersion}; Nomad registers it as a new version)`,
        paint: actionPaint,
      };
    case 'new-group':
      return {
        indent: BODY_INDENT,
        mark: '+',
        text: ` group "${line.name}": count ${line.count}, tasks ${line.tasks.join(', ')}`,
        paint: palette.hue('green'),
        aside: gray(scheduled(line.scheduler)),
      };
    case 'preserved-count':
      return {
        indent: BODY_INDENT,
        text: `group "${line.group}": count ${line.live} (live, preserved; file says ${line.file})`,
        paint: gray,
      };
    case 'group':
      return {
        indent: BODY_INDENT,
        mark: diffMark(line.diff, palette, actionPaint),
        text: ` group "${line.name}"`,
        aside: gray(scheduled(line.scheduler)),
      };
    case 'task':
      return {
        indent: BODY_INDENT + 4,
        mark: diffMark(line.diff, palette, actionPaint),
        text: ` task "${line.name}"`,
        ...(line.annotations.length ? { aside: gray(`  (${line.annotations.join(', ')})`) } : {}),
      };
    case 'object':
      return {
        indent: BODY_INDENT + 4 * line.depth,
        mark: diffMark(line.diff, palette, palette.hue('yellow')),
        text: ` ${line.name} {`,
      };
    case 'object-end':
      return { indent: BODY_INDENT + 4 * line.depth, text: '  }' };
  }
}

/** + added, - deleted, ~ edited (painted as `edited` says: a group's or task's in its change's colour). */
function diffMark(diff: DiffType, palette: Palette, edited: Paint): string {
  return diff === 'Added'
    ? palette.hue('green')('+')
    : diff === 'Deleted'
      ? palette.hue('red')('-')
      : edited('~');
}

/** What the scheduler would do to a group's allocations: "  (2 to place, 1 canary)". */
function scheduled(counts: DesiredUpdates | undefined): string {
  if (!counts) return '';
  const parts = SCHEDULER_ORDER.filter(([k]) => (counts[k] ?? 0) > 0).map(([k, label]) => {
    const n = counts[k]!;
    return `${n} ${label}${n === 1 || label.startsWith('to ') || label === 'unchanged' ? '' : 's'}`;
  });
  return parts.length ? `  (${parts.join(', ')})` : '';
}

function quote(value: string): string {
  return JSON.stringify(value);
}

function fieldRows(field: FieldDiff, indent: number, marks: FieldMarks, rows: Row[]): void {
  const { Old: old, New: next, Name: name } = field;
  const notes = (field.Annotations ?? []).length
    ? { aside: marks.gray(`  (${field.Annotations!.join(', ')})`) }
    : {};
  if (field.Type === 'Edited' && (old.includes('\n') || next.includes('\n'))) {
    rows.push({ indent, mark: marks.edited, text: ` ${name}:`, ...notes });
    lineDiff(old, next, indent + 4, marks, rows);
    return;
  }
  switch (field.Type) {
    case 'Added':
      rows.push({ indent, mark: marks.added, text: ` ${name}: ${quote(next)}`, ...notes });
      break;
    case 'Deleted':
      rows.push({ indent, mark: marks.deleted, text: ` ${name}: ${quote(old)}`, ...notes });
      break;
    case 'Edited':
      rows.push({ indent, mark: marks.edited, text: ` ${name}: ${quote(old)} → ${quote(next)}`, ...notes });
      break;
    default:
      rows.push({ indent, text: `  ${name}: ${quote(next)}`, paint: marks.gray });
  }
}

/** A unified diff of two multi-line values; a pathological diff is cut off rather than allowed to run long. */
function lineDiff(old: string, next: string, indent: number, marks: FieldMarks, rows: Row[]): void {
  const patch = structuredPatch('', '', old, next, '', '', { context: 2, maxEditLength: 2000 });
  if (!patch) {
    rows.push({ indent, text: marks.gray('(too many changes to show line by line)') });
    return;
  }
  for (const hunk of patch.hunks) {
    rows.push({
      indent,
      text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`,
      paint: marks.cyan,
    });
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue;
      const mark = line[0];
      if (mark === '+' || mark === '-')
        rows.push({ indent, mark, text: line.slice(1), paint: mark === '+' ? marks.green : marks.red });
      else rows.push({ indent, text: line });
    }
  }
}
