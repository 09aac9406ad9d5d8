/**
 * The canonical layout `nomad fmt` writes (hclwrite's formatter): only the blanks between tokens change. Each line
 * is split into cells: what leads, an attribute's `= value` (when the value closes on its line) and a trailing
 * comment. Lines are indented two spaces per open bracket level, the blanks between tokens follow fixed rules,
 * and the `=` and the comments of consecutive lines are aligned. String and heredoc text is never touched.
 */
import type { Diagnostic } from './diagnostics.js';
import { hasErrors } from './diagnostics.js';
import { parseHcl } from './parser.js';
import { graphemes } from './graphemes.js';
import { scan, type Token } from './scanner.js';

/** A token as the formatter sees it: what kind, its text, and the blanks to write before it. */
interface Cell {
  readonly kind: Kind;
  readonly text: string;
  spaces: number;
}

type Kind =
  | 'ident'
  | 'number'
  | 'oquote'
  | 'cquote'
  | 'literal'
  | 'interp'
  | 'control'
  | 'seal'
  | 'oheredoc'
  | 'cheredoc'
  | 'newline'
  | 'comment'
  | 'open'
  | 'close'
  | 'obrack'
  | 'obrace'
  | 'cbrace'
  | 'comma'
  | 'dot'
  | 'namespace'
  | 'ellipsis'
  | 'equal'
  | 'minus'
  | 'bang'
  | 'operator'
  | 'eof';

interface Line {
  lead: Cell[];
  assign: Cell[] | undefined;
  comment: Cell[] | undefined;
}

export interface FormatResult {
  /** The formatted text, absent when the source does not parse. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Formats HCL source as `nomad fmt` does; a source with syntax errors is not formatted. */
export function formatHcl(source: string, file: string): FormatResult {
  const { diagnostics } = parseHcl(source, file);
  if (hasErrors(diagnostics)) return { diagnostics };
  const cells = cellsOf(source, scan(source, file, { comments: true }));
  const lines = linesOf(cells);
  indent(lines);
  space(lines);
  align(lines, 'assign');
  align(lines, 'comment');
  return { text: cells.map((cell) => ' '.repeat(cell.spaces) + cell.text).join(''), diagnostics };
}

/** Operators after which a minus negates rather than subtracts. */
const NEGATING = new Set([
  '(',
  '{',
  '[',
  '=',
  ':',
  ',',
  '?',
  '+',
  '*',
  '/',
  '%',
  '-',
  '==',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '&&',
  '||',
  '!',
]);

function cellsOf(source: string, tokens: readonly Token[]): Cell[] {
  const cells: Cell[] = [];
  let end = 0;
  for (const token of tokens) {
    const start = token.range.start.offset;
    let text = token.text;
    // hclsyntax's newline is "\r\n" or "\n"; drover's scanner steps over the "\r" as a blank.
    if (token.type === 'newline' && source[start - 1] === '\r' && start - 1 >= end) text = `\r${text}`;
    const blanks = source.slice(end, start - (text.length - token.text.length));
    end = token.range.end.offset;
    if (token.type === 'eof') {
      // What follows the last line is written back as the blanks it was (hclwrite leaves the end alone).
      cells.push({ kind: 'eof', text: '', spaces: blanks.length });
      break;
    }
    cells.push({ kind: kindOf(token), text, spaces: blanks.length });
  }
  return cells;
}

function kindOf(token: Token): Kind {
  switch (token.type) {
    case 'ident':
    case 'number':
    case 'oquote':
    case 'cquote':
    case 'interp':
    case 'control':
    case 'seal':
    case 'oheredoc':
    case 'cheredoc':
    case 'newline':
    case 'comment':
      return token.type;
    case 'strlit':
      return 'literal';
    default:
      break;
  }
  switch (token.text) {
    case '(':
      return 'open';
    case '[':
      return 'obrack';
    case '{':
      return 'obrace';
    case '}':
      return 'cbrace';
    case ')':
    case ']':
      return 'close';
    case ',':
      return 'comma';
    case '.':
      return 'dot';
    case '::':
      return 'namespace';
    case '...':
      return 'ellipsis';
    case '=':
      return 'equal';
    case '-':
      return 'minus';
    case '!':
      return 'bang';
    default:
      return 'operator';
  }
}

/** +1 for what opens a bracket level (including `${` and `%{`), -1 for what closes one. */
function bracketChange(cell: Cell): number {
  switch (cell.kind) {
    case 'open':
    case 'obrack':
    case 'obrace':
    case 'interp':
    case 'control':
      return 1;
    case 'close':
    case 'cbrace':
    case 'seal':
      return -1;
    default:
      return 0;
  }
}

const endsLine = (cell: Cell) =>
  cell.kind === 'newline' || (cell.kind === 'comment' && cell.text.endsWith('\n'));

function linesOf(cells: readonly Cell[]): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i]!;
    // The end-of-file cell belongs to no line: its blanks stay as they are.
    if (cell.kind === 'eof' || endsLine(cell)) {
      lines.push({
        lead: cells.slice(start, cell.kind === 'eof' ? i : i + 1),
        assign: undefined,
        comment: undefined,
      });
      start = i + 1;
    }
  }
  for (const line of lines) {
    const { lead } = line;
    if (lead.length > 1 && lead[lead.length - 1]!.kind === 'comment') line.comment = lead.splice(-1);
    const equal = lead.findIndex((cell, i) => i > 0 && cell.kind === 'equal');
    // `= value` is a cell of its own only when the value closes on this line.
    if (equal > 0 && lead.slice(equal).reduce((n, cell) => n + bracketChange(cell), 0) === 0)
      line.assign = lead.splice(equal);
  }
  return lines;
}

/** Two spaces per bracket level still open, counted line by line as hclwrite counts them. */
function indent(lines: readonly Line[]): void {
  const levels: number[] = [];
  for (const line of lines) {
    const first = line.lead[0];
    if (!first) continue;
    if (first.kind === 'newline') {
      first.spaces = 0;
      continue;
    }
    let net = 0;
    for (const cell of line.lead) {
      net += bracketChange(cell);
      if (cell.kind === 'oheredoc') break;
    }
    for (const cell of line.assign ?? []) net += bracketChange(cell);
    if (net > 0) {
      first.spaces = 2 * levels.length;
      levels.push(net);
      continue;
    }
    let closed = -net;
    while (closed > 0 && levels.length > 0) {
      const top = levels[levels.length - 1]!;
      if (closed >= top) {
        closed -= top;
        levels.pop();
      } else {
        levels[levels.length - 1] = top - closed;
        closed = 0;
      }
    }
    first.spaces = 2 * levels.length;
  }
}

function space(lines: readonly Line[]): void {
  for (const line of lines) {
    spaceRun(line.lead);
    if (line.assign) {
      line.assign[0]!.spaces = 1;
      spaceRun(line.assign);
    }
  }
}

function spaceRun(cells: readonly Cell[]): void {
  for (let i = 0; i + 1 < cells.length; i++)
    cells[i + 1]!.spaces = spaceAfter(cells[i]!, cells[i - 1], cells[i + 1]!) ? 1 : 0;
}

/** Whether one blank goes between `subject` and `after` (`before` precedes `subject`, if anything does). */
function spaceAfter(subject: Cell, before: Cell | undefined, after: Cell): boolean {
  const isLiteral = (cell: Cell) => cell.kind === 'literal';
  if (after.kind === 'newline') return false;
  if (subject.kind === 'ident' && after.kind === 'open') return false;
  // A namespaced function name stays whole: provider::x::f.
  if (
    (subject.kind === 'ident' && after.kind === 'namespace') ||
    (subject.kind === 'namespace' && after.kind === 'ident')
  )
    return false;
  if (subject.kind === 'dot' || after.kind === 'dot') return false;
  if (after.kind === 'comma' || after.kind === 'ellipsis') return false;
  if (subject.kind === 'comma') return true;
  if (
    isLiteral(subject) ||
    subject.kind === 'oquote' ||
    subject.kind === 'oheredoc' ||
    isLiteral(after) ||
    after.kind === 'cquote' ||
    after.kind === 'cheredoc'
  )
    return false;
  if (subject.kind === 'ident' && subject.text === 'in' && before?.kind === 'ident') return true;
  if (
    after.kind === 'obrack' &&
    (subject.kind === 'ident' || subject.kind === 'number' || bracketChange(subject) < 0)
  )
    return false;
  if (subject.kind === 'bang') return false;
  if (subject.kind === 'minus') return before !== undefined && !NEGATING.has(before.text);
  if (subject.kind === 'obrace' || after.kind === 'cbrace')
    return !(subject.kind === 'obrace' && after.kind === 'cbrace');
  if ((subject.kind === 'interp' || subject.kind === 'control') && after.kind === 'obrace') return true;
  if (subject.kind === 'cbrace' && after.kind === 'seal') return true;
  if (subject.kind === 'seal' && (after.kind === 'interp' || after.kind === 'control')) return false;
  if (bracketChange(subject) > 0) return false;
  if (bracketChange(after) < 0) return false;
  return true;
}

/** Aligns a cell (the `=` or the comment) over each run of consecutive lines that have it. */
function align(lines: readonly Line[], cell: 'assign' | 'comment'): void {
  const width = (line: Line) => columns(line.lead) + (cell === 'comment' ? columns(line.assign ?? []) : 0);
  let run: Line[] = [];
  const close = () => {
    const widest = run.reduce((most, line) => Math.max(most, width(line)), 0);
    for (const line of run) line[cell]![0]!.spaces = widest - width(line) + 1;
    run = [];
  };
  for (const line of lines) {
    if (line[cell]) run.push(line);
    else if (run.length > 0) close();
  }
  if (run.length > 0) close();
}

/** The columns cells take: their blanks and their text's grapheme clusters (what hclwrite counts). */
function columns(cells: readonly Cell[]): number {
  let total = 0;
  for (const cell of cells) {
    total += cell.spaces + graphemes(cell.text).length;
  }
  return total;
}
