/** Source positions and diagnostics: every error drover reports about a file points at file:line:column. */
import { DEFAULT_MASK_PATTERNS } from '../../config/project-settings.js';
import { maskLines } from '../../util/secret-lines.js';

export interface Pos {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in characters. */
  readonly column: number;
  /** 0-based offset into the source. */
  readonly offset: number;
}

export interface Range {
  readonly file: string;
  readonly start: Pos;
  readonly end: Pos;
}

export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** One line: what is wrong. */
  readonly summary: string;
  /** More words, or the fix ("did you mean `healthy_deadline`?"). */
  readonly detail?: string;
  readonly range: Range;
  /** Its line may hold a secret value (a Nomad Variable's items): printed without the source line. */
  readonly hidesLine?: boolean;
}

/**
 * Where the lines of one source start, found when a position is first asked for: a parse keeps offsets and most
 * ranges are never shown.
 */
export class SourceLines {
  private starts: readonly number[] | undefined;
  private wide: boolean | undefined;

  constructor(
    readonly file: string,
    private readonly source: string,
  ) {}

  position(offset: number): Pos {
    const starts = (this.starts ??= lineStarts(this.source));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    const lineStart = starts[low]!;
    // Columns count code points, as the scanner did: the second half of a surrogate pair adds none.
    this.wide ??= /[\uD800-\uDFFF]/.test(this.source);
    const halves = this.wide
      ? (this.source.slice(lineStart, offset).match(/[\uDC00-\uDFFF]/g)?.length ?? 0)
      : 0;
    return { line: low + 1, column: offset - lineStart + 1 - halves, offset };
  }
}

/** A range kept as two offsets into its source: a 10 MB file's syntax tree holds millions of them. */
export class SourceSpan implements Range {
  constructor(
    private readonly lines: SourceLines,
    readonly startOffset: number,
    readonly endOffset: number,
  ) {}

  get file(): string {
    return this.lines.file;
  }

  get start(): Pos {
    return this.lines.position(this.startOffset);
  }

  get end(): Pos {
    return this.lines.position(this.endOffset);
  }

  /** Another range of the same source. */
  sibling(startOffset: number, endOffset: number): SourceSpan {
    return new SourceSpan(this.lines, startOffset, endOffset);
  }

  /** `length` code units from `from` code units in. */
  part(from: number, length: number): SourceSpan {
    return this.sibling(this.startOffset + from, this.startOffset + from + length);
  }

  through(last: SourceSpan): SourceSpan {
    return new SourceSpan(this.lines, this.startOffset, last.endOffset);
  }
}

export function rangeBetween(a: Range, b: Range): Range {
  if (a instanceof SourceSpan && b instanceof SourceSpan) return a.through(b);
  return { file: a.file, start: a.start, end: b.end };
}

export function error(range: Range, summary: string, detail?: string): Diagnostic {
  return { severity: 'error', summary, range, ...(detail ? { detail } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/**
 * Thrown to stop work on one expression or file after a diagnostic has been recorded. It is always caught and
 * turned into its diagnostic, never shown as a stack, so none is captured: `try` and `can` throw these in the
 * normal course of reading a file.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(
      `${diagnostic.range.file}:${diagnostic.range.start.line}:${diagnostic.range.start.column}: ${diagnostic.summary}`,
    );
    Error.stackTraceLimit = limit;
  }
}

/**
 * `file:line:col: summary`, the source line (a secret-looking value masked), a caret under the range, and the
 * detail, as a person reads it:
 *
 *   web.nomad.hcl:12:7: error: unknown attribute `healty_deadline`
 *      12 |       healty_deadline = "5m"
 *         |       ^^^^^^^^^^^^^^^
 *   did you mean `healthy_deadline`?
 */
export function formatDiagnostic(
  diagnostic: Diagnostic,
  source: string | undefined,
  maskPatterns: readonly string[] = DEFAULT_MASK_PATTERNS,
): string {
  const { range } = diagnostic;
  const head = `${range.file}:${range.start.line}:${range.start.column}: ${diagnostic.severity}: ${diagnostic.summary}`;
  const lines = [head];
  // The line shown is masked as the plan masks a variable file: `db_password = "…"` shows no password.
  const line =
    source === undefined || diagnostic.hidesLine ? undefined : sourceLine(source, range.start.line);
  const text = line === undefined ? undefined : maskLines(line, maskPatterns);
  if (text !== undefined) {
    const gutter = String(range.start.line).length;
    const width =
      range.end.line === range.start.line
        ? Math.max(1, range.end.column - range.start.column)
        : Math.max(1, text.length - range.start.column + 1);
    lines.push(`  ${String(range.start.line).padStart(gutter)} | ${text.replace(/\t/g, ' ')}`);
    lines.push(`  ${' '.repeat(gutter)} | ${' '.repeat(range.start.column - 1)}${'^'.repeat(width)}`);
  }
  if (diagnostic.detail) lines.push(diagnostic.detail);
  return lines.join('\n');
}

/**
 * Where each line starts, for the few sources last shown: a file's diagnostics share one index (splitting the
 * whole file for each one made printing 20,000 of them take a minute). Strings cannot key a WeakMap: the map holds
 * its sources, and lets the least recently shown go.
 */
const lineStartsBySource = new Map<string, readonly number[]>();
const SOURCES_INDEXED = 4;

/** Line `line` (1-based) of a source without its line end, as `split('\n')` gives it. */
function sourceLine(source: string, line: number): string | undefined {
  const starts = lineStarts(source);
  const start = starts[line - 1];
  if (start === undefined) return undefined;
  const next = starts[line];
  return source.slice(start, next === undefined ? source.length : next - 1);
}

function lineStarts(source: string): readonly number[] {
  const starts = lineStartsBySource.get(source) ?? indexLines(source);
  lineStartsBySource.delete(source);
  lineStartsBySource.set(source, starts);
  if (lineStartsBySource.size > SOURCES_INDEXED)
    lineStartsBySource.delete(lineStartsBySource.keys().next().value!);
  return starts;
}

function indexLines(source: string): number[] {
  const starts = [0];
  for (let end = source.indexOf('\n'); end !== -1; end = source.indexOf('\n', end + 1)) starts.push(end + 1);
  return starts;
}

export { suggest } from '../../util/suggest.js';
