/**
 * The HCL native syntax scanner (hashicorp/hcl hclsyntax spec): tokens with ranges, including the template
 * sub-language of quoted strings and heredocs, tracked with a mode stack so that `"${ f("x") }"` nests.
 */
import { SourceLines, SourceSpan } from './diagnostics.js';

export type TokenType =
  | 'ident'
  | 'number'
  /**
   * Only without `comments` (reading, not formatting): a quoted string of plain text, no escape, `${` or `%{` in
   * it, as one token, its text without the quotes. Most strings are such, and one token is a third of three.
   */
  | 'string'
  | 'oquote'
  | 'cquote'
  /** Literal template text, raw (escapes undone by the parser). */
  | 'strlit'
  /** `${` or `${~` */
  | 'interp'
  /** `%{` or `%{~` */
  | 'control'
  /** the `}` or `~}` closing an interpolation or directive */
  | 'seal'
  | 'oheredoc'
  | 'cheredoc'
  | 'newline'
  | 'punct'
  | 'eof'
  | 'invalid'
  /** Only with `comments: true` (drover fmt): a `#` or `//` comment with its line end, or a block comment. */
  | 'comment';

/** What a token may carry beside its type and text. */
interface TokenExtra {
  /** interp/control: `~` follows the opener; seal: `~` precedes the `}`. */
  readonly strip?: boolean;
  /** oheredoc: the marker and whether it is the indented (<<-) form. */
  readonly heredoc?: { readonly marker: string; readonly flush: boolean };
  /** invalid: what is wrong. */
  readonly problem?: string;
}

/**
 * A token at offsets `start`–`end` of its source. Its range is made when asked for: a 10 MB file has millions of
 * tokens, and most (line ends, `=`, quotes) are never the place of anything.
 */
export class Token implements TokenExtra {
  constructor(
    readonly type: TokenType,
    readonly text: string,
    readonly lines: SourceLines,
    readonly start: number,
    readonly end: number,
    /** Kept whole: a handful of tokens have any, and each field of a token is paid millions of times. */
    private readonly extra?: TokenExtra,
  ) {}

  get strip(): boolean | undefined {
    return this.extra?.strip;
  }

  get heredoc(): TokenExtra['heredoc'] {
    return this.extra?.heredoc;
  }

  get problem(): string | undefined {
    return this.extra?.problem;
  }

  get range(): SourceSpan {
    return new SourceSpan(this.lines, this.start, this.end);
  }
}

type Mode =
  | { kind: 'normal'; depth: number; closesTemplate: boolean }
  | { kind: 'quoted' }
  | { kind: 'heredoc'; marker: string; atLineStart: boolean };

const PUNCT3 = '...';
const PUNCT2 = new Set(['=>', '==', '!=', '<=', '>=', '&&', '||', '::']);
const PUNCT1 = new Set('{}[](),.=:?+-*/%!<>');

/** The characters that end a two-character punctuation token. */
const PUNCT2_LAST = new Set([...PUNCT2].map((p) => p[1]!));

/** The length of the punctuation token at `offset` (longest first), or 0. */
function punctLength(source: string, offset: number): number {
  const c = source[offset]!;
  if (c === '.' && source.startsWith(PUNCT3, offset)) return 3;
  // `=` is followed by a blank far more often than by `=` or `>`: no two-character string made for it.
  const d = source[offset + 1];
  if (d !== undefined && PUNCT2_LAST.has(d) && PUNCT2.has(c + d)) return 2;
  return PUNCT1.has(c) ? 1 : 0;
}
const ID_START = /[\p{L}\p{Nl}_]/u;
const HEREDOC = /^<<(-?)([\p{L}_][\p{L}\p{N}_-]*)\r?\n/u;
const NUMBER = /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const isAsciiLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
/** Space, tab and carriage return: NaN (past the end) is none of them. */
const isBlank = (code: number) => code === 32 || code === 9 || code === 13;
/** A-Z, a-z, 0-9, _ and -: what an ASCII name continues with. */
const isAsciiNamePart = (code: number) =>
  (code >= 97 && code <= 122) ||
  (code >= 65 && code <= 90) ||
  (code >= 48 && code <= 57) ||
  code === 95 ||
  code === 45;
const ID_CONTINUE = /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_-]/u;

/** With `comments`, comments are tokens too (the formatter keeps them); the parser goes without. */
export function scan(source: string, file: string, options: { comments?: boolean } = {}): Token[] {
  const tokens: Token[] = [];
  scanEach(source, file, options, (token) => tokens.push(token));
  return tokens;
}

/** Each token as it is read, none kept: a 10 MB file has millions, which the formatter need not hold. */
export function scanEach(
  source: string,
  file: string,
  options: { comments?: boolean },
  visit: (token: Token) => void,
): void {
  const next = tokenReader(source, file, options);
  for (let token = next(); ; token = next()) {
    visit(token);
    if (token.type === 'eof') return;
  }
}

/**
 * The tokens one at a time, as the parser asks for them: reading stops early (1,000 errors, nesting too deep)
 * without scanning the rest, and a parse holds a window of tokens, not millions. After the end, every call gives
 * the end-of-file token.
 */
export function tokenReader(source: string, file: string, options: { comments?: boolean } = {}): () => Token {
  const modes: Mode[] = [{ kind: 'normal', depth: 0, closesTemplate: false }];
  const lines = new SourceLines(file, source);
  let offset = 0;
  /** Moves over `count` UTF-16 code units. */
  const advance = (count: number) => {
    offset = Math.min(offset + count, source.length);
  };
  const codePointLength = () => ((source.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1);
  // A loop step makes at most one token; the next call hands it over before reading on.
  let produced: Token | undefined;
  const emit = (type: TokenType, start: number) => {
    produced = new Token(type, source.slice(start, offset), lines, start, offset);
  };
  const emitWith = (type: TokenType, start: number, extra: TokenExtra) => {
    produced = new Token(type, source.slice(start, offset), lines, start, offset, extra);
  };
  const handOver = (): Token | undefined => {
    const token = produced;
    produced = undefined;
    return token;
  };
  const mode = () => modes[modes.length - 1]!;
  let ending: Token[] | undefined;

  return () => {
    while (offset < source.length) {
      const made = handOver();
      if (made) return made;
      const current = mode();
      const c = source[offset]!;
      // Blanks between tokens are most of a file's characters: step over them all at once.
      if (current.kind === 'normal' && isBlank(source.charCodeAt(offset))) {
        do offset++;
        while (isBlank(source.charCodeAt(offset)));
        continue;
      }
      const start = offset;

      if (current.kind === 'quoted' || current.kind === 'heredoc') {
        if (current.kind === 'heredoc' && current.atLineStart) {
          const end = source.indexOf('\n', offset);
          const lineText = source.slice(offset, end === -1 ? source.length : end);
          if (lineText.trim() === current.marker) {
            advance(lineText.length);
            emit('cheredoc', start);
            modes.pop();
            continue;
          }
          current.atLineStart = false;
        }
        if (source.startsWith('${', offset) || source.startsWith('%{', offset)) {
          const strip = source[offset + 2] === '~';
          advance(strip ? 3 : 2);
          emitWith(c === '$' ? 'interp' : 'control', start, { strip });
          modes.push({ kind: 'normal', depth: 0, closesTemplate: true });
          continue;
        }
        if (current.kind === 'quoted' && c === '"') {
          advance(1);
          emit('cquote', start);
          modes.pop();
          continue;
        }
        if (current.kind === 'quoted' && c === '\n') {
          emitWith('invalid', start, {
            problem:
              'Unterminated template string: a quoted string cannot contain a line break; use a heredoc (<<EOT) or \\n',
          });
          modes.pop();
          continue;
        }
        // A run of literal text: up to the next interpolation, directive, closing quote or (heredoc) line end.
        if (current.kind === 'quoted') offset = quotedTextEnd(source, offset);
        else
          while (offset < source.length) {
            const ch = source[offset]!;
            if (ch === '$' || ch === '%') {
              if (source.startsWith('$${', offset) || source.startsWith('%%{', offset)) {
                advance(3);
                continue;
              }
              if (source[offset + 1] === '{') break;
            }
            advance(1);
            if (ch === '\n') {
              current.atLineStart = true;
              break;
            }
          }
        emit('strlit', start);
        continue;
      }

      // normal mode
      if (c === '\n') {
        advance(1);
        // Reading (not formatting), a run of blank lines is one line end: 10 MB of them were 10 million tokens.
        if (!options.comments) offset = blankLinesEnd(source, offset);
        emit('newline', start);
        continue;
      }
      if (c === '#' || source.startsWith('//', offset)) {
        while (offset < source.length && source[offset] !== '\n') advance(1);
        if (options.comments) {
          // As in hclsyntax, a line comment takes its line end with it.
          if (offset < source.length) advance(1);
          emit('comment', start);
        }
        continue;
      }
      if (source.startsWith('/*', offset)) {
        const end = source.indexOf('*/', offset + 2);
        if (end === -1) {
          advance(source.length - offset);
          emitWith('invalid', start, { problem: 'Unterminated comment: a /* comment needs a closing */' });
          continue;
        }
        advance(end + 2 - offset);
        if (options.comments) emit('comment', start);
        continue;
      }
      if (c === '"') {
        const close = options.comments ? -1 : plainStringClose(source, offset + 1);
        if (close !== -1) {
          offset = close + 1;
          produced = new Token('string', source.slice(start + 1, close), lines, start, offset);
          continue;
        }
        advance(1);
        emit('oquote', start);
        modes.push({ kind: 'quoted' });
        continue;
      }
      const heredoc =
        c === '<' && source[offset + 1] === '<' ? HEREDOC.exec(source.slice(offset, offset + 200)) : null;
      if (heredoc) {
        advance(heredoc[0].length);
        emitWith('oheredoc', start, { heredoc: { marker: heredoc[2]!, flush: heredoc[1] === '-' } });
        modes.push({ kind: 'heredoc', marker: heredoc[2]!, atLineStart: true });
        continue;
      }
      if (c >= '0' && c <= '9') {
        NUMBER.lastIndex = offset;
        advance(NUMBER.exec(source)![0].length);
        emit('number', start);
        continue;
      }
      if (
        isAsciiLetter(c) ||
        c === '_' ||
        (c > '\u007f' && ID_START.test(String.fromCodePoint(source.codePointAt(offset)!)))
      ) {
        // Names are ASCII nearly always: step over those characters without a regular expression.
        for (;;) {
          const code = source.charCodeAt(offset);
          if (isAsciiNamePart(code)) offset++;
          else if (code > 0x7f && ID_CONTINUE.test(String.fromCodePoint(source.codePointAt(offset)!)))
            advance(codePointLength());
          else break;
        }
        emit('ident', start);
        continue;
      }
      if (current.kind === 'normal' && current.closesTemplate) {
        if (source.startsWith('~}', offset) && current.depth === 0) {
          advance(2);
          emitWith('seal', start, { strip: true });
          modes.pop();
          continue;
        }
        if (c === '}' && current.depth === 0) {
          advance(1);
          emitWith('seal', start, { strip: false });
          modes.pop();
          continue;
        }
      }
      const punct = punctLength(source, offset);
      if (punct > 0) {
        if (current.kind === 'normal') {
          if (c === '{') current.depth++;
          if (c === '}') current.depth = Math.max(0, current.depth - 1);
        }
        advance(punct);
        emit('punct', start);
        continue;
      }
      advance(codePointLength());
      const character = source.slice(start, offset);
      emitWith('invalid', start, {
        problem: `Invalid character: ${JSON.stringify(character)} cannot start an expression or a name`,
      });
    }
    const made = handOver();
    if (made) return made;
    ending ??= endTokens(lines, offset, mode());
    return ending.length > 1 ? ending.shift()! : ending[0]!;
  };
}

/**
 * Where the closing quote is of a quoted string whose text starts at `offset` and is plain: no backslash, no `{`
 * after a `$` or `%` (interpolations, directives and their escapes), no line end; -1 for any other string.
 */
function plainStringClose(source: string, offset: number): number {
  for (let at = offset; ; at++) {
    const code = source.charCodeAt(at);
    if (code === 34) return at;
    // '\\', '\n', or NaN past the end.
    if (code === 92 || code === 10 || Number.isNaN(code)) return -1;
    if ((code === 36 || code === 37) && source.charCodeAt(at + 1) === 123) return -1;
  }
}

/**
 * Where the literal text of a quoted string that starts at `offset` ends: at the closing quote, a line end, an
 * interpolation or a directive (`$${` and `%%{` are text), or the end of the source; a backslash escapes the
 * character after it, but a line end.
 */
function quotedTextEnd(source: string, offset: number): number {
  let at = offset;
  for (;;) {
    const code = source.charCodeAt(at);
    // '"', '\n', or NaN past the end.
    if (code === 34 || code === 10 || Number.isNaN(code)) return at;
    if (code === 92) {
      at += at + 1 < source.length && source.charCodeAt(at + 1) !== 10 ? 2 : 1;
      continue;
    }
    // '$' or '%' …
    if (code === 36 || code === 37) {
      const next = source.charCodeAt(at + 1);
      // … doubled before '{' is the escape of a literal ${ or %{; before '{', an interpolation or a directive.
      if (next === code && source.charCodeAt(at + 2) === 123) {
        at += 3;
        continue;
      }
      if (next === 123) return at;
    }
    at++;
  }
}

/** Past the lines after `offset` that hold only blanks and a line end: where the next line with text starts. */
function blankLinesEnd(source: string, offset: number): number {
  let end = offset;
  for (;;) {
    let at = end;
    while (isBlank(source.charCodeAt(at))) at++;
    if (source.charCodeAt(at) !== 10) return end;
    end = at + 1;
  }
}

/** What follows the last character: an unterminated string's or heredoc's error, then the end of the file. */
function endTokens(lines: SourceLines, at: number, open: Mode): Token[] {
  const eof = new Token('eof', '', lines, at, at);
  if (open.kind === 'quoted')
    return [
      new Token('invalid', '', lines, at, at, {
        problem: 'Unterminated template string: a quoted string needs a closing "',
      }),
      eof,
    ];
  if (open.kind === 'heredoc')
    return [
      new Token('invalid', '', lines, at, at, {
        problem: `Unterminated heredoc: no line with only "${open.marker}" closes it`,
      }),
      eof,
    ];
  return [eof];
}
