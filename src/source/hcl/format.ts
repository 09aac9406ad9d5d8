/**
 * The canonical layout `nomad fmt` writes (hclwrite's formatter): only the blanks between tokens change. Each line
 * is split into what leads, an attribute's `= value` (when the value closes on its line) and a trailing comment.
 * Lines are indented two spaces per open bracket level, the blanks between tokens follow fixed rules, and the `=`
 * and the comments of consecutive lines are aligned. String and heredoc text is never touched.
 */
import type { Diagnostic } from './diagnostics.js';
import { hasErrors } from './diagnostics.js';
import { parseHcl } from './parser.js';
import { graphemes } from './graphemes.js';
import { scanEach, type Token } from './scanner.js';

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

/** A line laid out: what leads it (its indentation first), an attribute's `= value`, a trailing comment. */
interface Line {
  readonly lead: string;
  /** The columns `lead` takes. */
  readonly leadWidth: number;
  /** The `= value` with the line end, but for the blanks before it. */
  readonly assign: string | undefined;
  readonly assignWidth: number;
  readonly comment: string | undefined;
  /** The blanks before `assign` and before `comment`: alignment sets them. */
  assignSpaces: number;
  commentSpaces: number;
}

export interface FormatResult {
  /** The formatted text, absent when the source does not parse. */
  readonly text?: string;
  readonly diagnostics: readonly Diagnostic[];
}

/** Formats HCL source as `nomad fmt` does; a source with syntax errors is not formatted. */
export function formatHcl(source: string, file: string): FormatResult {
  const { diagnostics } = parseHcl(source, file, { keepTree: false });
  if (hasErrors(diagnostics)) return { diagnostics };
  const { lines, tail } = layOut(source, file);
  align(lines, 'assign');
  align(lines, 'comment');
  return { text: lines.map(written).join('') + tail, diagnostics };
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

/**
 * The source's lines, each split, indented and spaced as soon as its tokens are read (a 10 MB file's millions of
 * tokens are never all held), and what follows the last line.
 */
function layOut(source: string, file: string): { lines: Line[]; tail: string } {
  const lines: Line[] = [];
  const levels: number[] = [];
  let cells: Cell[] = [];
  let tail = '';
  eachCell(source, file, (cell) => {
    if (cell.kind === 'eof') {
      if (cells.length > 0) lines.push(layOutLine(cells, levels));
      // What follows the last line is written back as the blanks it was (hclwrite leaves the end alone).
      tail = ' '.repeat(cell.spaces);
      return;
    }
    cells.push(cell);
    if (endsLine(cell)) {
      lines.push(layOutLine(cells, levels));
      cells = [];
    }
  });
  return { lines, tail };
}

/** Each token of the source as a cell, its spaces the blanks before it in the source. */
function eachCell(source: string, file: string, visit: (cell: Cell) => void): void {
  let end = 0;
  scanEach(source, file, { comments: true }, (token) => {
    const start = token.start;
    // hclsyntax's newline is "\r\n" or "\n"; drover's scanner steps over the "\r" as a blank.
    const crlf = token.type === 'newline' && source[start - 1] === '\r' && start - 1 >= end;
    visit({
      kind: kindOf(token),
      text: crlf ? `\r${token.text}` : token.text,
      spaces: start - end - (crlf ? 1 : 0),
    });
    end = token.end;
  });
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
    case 'eof':
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

/** One line's cells (`levels`: the bracket levels its predecessors left open) laid out. */
function layOutLine(cells: Cell[], levels: number[]): Line {
  const { lead, assign, comment } = splitLine(cells);
  lead[0]!.spaces = indentation(lead, assign ?? [], levels);
  spaceRun(lead);
  if (assign) {
    // The blanks before the `=` are alignment's to set.
    assign[0]!.spaces = 0;
    spaceRun(assign);
  }
  return {
    lead: textOf(lead),
    leadWidth: columns(lead),
    assign: assign && textOf(assign),
    assignWidth: assign ? columns(assign) : 0,
    comment: comment?.text,
    assignSpaces: 1,
    commentSpaces: 1,
  };
}

/** What leads a line, its `= value` and its trailing comment. */
function splitLine(cells: Cell[]): { lead: Cell[]; assign: Cell[] | undefined; comment: Cell | undefined } {
  const comment = cells.length > 1 && cells[cells.length - 1]!.kind === 'comment' ? cells.pop() : undefined;
  const equal = cells.findIndex((cell, i) => i > 0 && cell.kind === 'equal');
  // `= value` is a cell of its own only when the value closes on this line.
  const assign = equal > 0 && bracketsClose(cells, equal) ? cells.splice(equal) : undefined;
  return { lead: cells, assign, comment };
}

/** Whether the brackets opened from `cells[from]` on are all closed by the last. */
function bracketsClose(cells: readonly Cell[], from: number): boolean {
  let open = 0;
  for (let i = from; i < cells.length; i++) open += bracketChange(cells[i]!);
  return open === 0;
}

/** Two spaces per bracket level still open, counted line by line as hclwrite counts them. */
function indentation(lead: readonly Cell[], assign: readonly Cell[], levels: number[]): number {
  if (lead[0]!.kind === 'newline') return 0;
  let net = 0;
  for (const cell of lead) {
    net += bracketChange(cell);
    if (cell.kind === 'oheredoc') break;
  }
  for (const cell of assign) net += bracketChange(cell);
  if (net > 0) {
    levels.push(net);
    return 2 * (levels.length - 1);
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
  return 2 * levels.length;
}

function spaceRun(cells: readonly Cell[]): void {
  for (let i = 0; i + 1 < cells.length; i++)
    cells[i + 1]!.spaces = spaceAfter(cells[i]!, cells[i - 1], cells[i + 1]!) ? 1 : 0;
}

/** Whether one blank goes between `subject` and `after` (`before` precedes `subject`, if anything does). */
function spaceAfter(subject: Cell, before: Cell | undefined, after: Cell): boolean {
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
    subject.kind === 'literal' ||
    subject.kind === 'oquote' ||
    subject.kind === 'oheredoc' ||
    after.kind === 'literal' ||
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

/** Aligns the `=` or the comment over each run of consecutive lines that have it. */
function align(lines: readonly Line[], cell: 'assign' | 'comment'): void {
  const width = (line: Line) =>
    line.leadWidth +
    (cell === 'comment' && line.assign !== undefined ? line.assignSpaces + line.assignWidth : 0);
  const spaces = cell === 'assign' ? 'assignSpaces' : 'commentSpaces';
  let run: Line[] = [];
  const close = () => {
    const widest = run.reduce((most, line) => Math.max(most, width(line)), 0);
    for (const line of run) line[spaces] = widest - width(line) + 1;
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
  for (const cell of cells) total += cell.spaces + clusters(cell.text);
  return total;
}

/** Grapheme clusters, counted without building them: ASCII (but "\r\n") is one per character. */
const clusters = (text: string) => (ASCII_BUT_CR.test(text) ? text.length : graphemes(text).length);
// eslint-disable-next-line no-control-regex
const ASCII_BUT_CR = /^[\x00-\x0c\x0e-\x7f]*$/;

function textOf(cells: readonly Cell[]): string {
  let text = '';
  for (const cell of cells) text += ' '.repeat(cell.spaces) + cell.text;
  return text;
}

const written = (line: Line) =>
  line.lead +
  (line.assign === undefined ? '' : ' '.repeat(line.assignSpaces) + line.assign) +
  (line.comment === undefined ? '' : ' '.repeat(line.commentSpaces) + line.comment);
