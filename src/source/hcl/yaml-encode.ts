/**
 * yamlencode as go-cty-yaml writes it, through its port of libyaml's emitter: block mappings (keys sorted,
 * double-quoted) and sequences (not indented under a key), `{}` and `[]` when empty, strings double-quoted or, with a
 * line break and nothing a block forbids, as a literal block; numbers, bools and null plain, a plain document
 * closed by `...`. Long double-quoted strings fold at a space past column 80, as the emitter folds them.
 */
import { BigFloat } from './big-float.js';
import { codePointCount } from './code-points.js';
import { isObject, type Value } from './types.js';

const BEST_INDENT = 2;
const BEST_WIDTH = 80;
/** Longer keys (in UTF-8 bytes) are written as complex keys (`? key`), as are keys with a line break. */
const MAX_SIMPLE_KEY = 128;

const ESCAPES: Record<number, string> = {
  0x00: '0',
  0x07: 'a',
  0x08: 'b',
  0x09: 't',
  0x0a: 'n',
  0x0b: 'v',
  0x0c: 'f',
  0x0d: 'r',
  0x1b: 'e',
  0x22: '"',
  0x5c: '\\',
  0x85: 'N',
  0x2028: 'L',
  0x2029: 'P',
};

const isBreak = (ch: string | undefined) =>
  ch === '\n' || ch === '\r' || ch === '\u0085' || ch === '\u2028' || ch === '\u2029';
const hasBreak = (text: string) => /[\n\r\u0085\u2028\u2029]/.test(text);
/** A line break followed by text (not by another break, nor the end). */
const LINE_WITH_TEXT = /[\n\r\u0085\u2028\u2029](?=[^\n\r\u0085\u2028\u2029])/g;

function lastBreak(text: string): number {
  let i = text.length - 1;
  while (i >= 0 && !isBreak(text[i])) i--;
  return i;
}

/**
 * Text is scanned with classes of UTF-16 units, not a string per character (that cost more than the writing).
 * libyaml's printable characters are \n, U+0020-U+007E, U+00A0-U+D7FF and U+E000-U+FFFD but U+FEFF: a surrogate,
 * so any character past U+FFFF, is not one. A literal block may not hold any other, nor a space before a break.
 */
const NOT_IN_BLOCK = /[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd]| [\n\r\u0085\u2028\u2029]/;
/** What a double-quoted string writes other than as itself: a space (where it may fold), or an escape. */
const NOT_PLAIN = /[^\x21\x23-\x5b\x5d-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]/g;

/** A literal block may hold only printable characters, no space before a line break and no trailing space. */
const blockAllowed = (text: string) => !text.endsWith(' ') && !NOT_IN_BLOCK.test(text);

function escaped(cp: number): string {
  const width = cp <= 0xff ? 2 : cp <= 0xffff ? 4 : 8;
  const hex = `${width === 2 ? 'x' : width === 4 ? 'u' : 'U'}${cp.toString(16).toUpperCase().padStart(width, '0')}`;
  return `\\${ESCAPES[cp] ?? hex}`;
}

/** Keys in the order of their UTF-8 bytes, each encoded once. */
function sortedKeys(value: { [key: string]: Value }): string[] {
  return Object.keys(value)
    .map((key) => ({ key, bytes: Buffer.from(key) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map(({ key }) => key);
}

class Emitter {
  out = '';
  private column = 0;
  /** The last thing written was blank (a space, a line start). */
  private whitespace = true;
  /** Only indentation (and indicators such as `- `) stands on the current line so far. */
  private indention = true;
  /** A plain scalar at the root: the document is closed with `...`. */
  openEnded = false;

  put(text: string): void {
    this.out += text;
    this.column += codePointCount(text);
  }

  lineBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  indent(to: number): void {
    const indent = Math.max(to, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.lineBreak();
    if (this.column < indent) this.put(' '.repeat(indent - this.column));
    this.whitespace = true;
    this.indention = true;
  }

  indicator(text: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** The indentation a nested node gets (libyaml's increase_indent). */
  static deeper(parent: number, flow: boolean, indentless: boolean): number {
    if (parent < 0) return flow ? BEST_INDENT : 0;
    return indentless ? parent : parent + BEST_INDENT;
  }

  node(value: Value, parent: number, underKey: boolean): void {
    if (Array.isArray(value) && value.length > 0) this.sequence(value, parent, underKey);
    else if (isObject(value) && Object.keys(value).length > 0) this.mapping(value, parent);
    else if (Array.isArray(value)) this.emptyFlow('[', ']');
    else if (isObject(value)) this.emptyFlow('{', '}');
    else this.scalar(value, parent, false);
  }

  private emptyFlow(open: string, close: string): void {
    this.indicator(open, true, true, false);
    this.indicator(close, false, false, false);
  }

  private sequence(items: readonly Value[], parent: number, underKey: boolean): void {
    // A sequence under a mapping key is not indented: `key:` then `- item` at the key's column.
    const indent = Emitter.deeper(parent, false, underKey && !this.indention);
    for (const item of items) {
      this.indent(indent);
      this.indicator('-', true, false, true);
      this.node(item, indent, false);
    }
  }

  private mapping(value: { [key: string]: Value }, parent: number): void {
    const indent = Emitter.deeper(parent, false, false);
    for (const key of sortedKeys(value)) {
      this.indent(indent);
      const simple = Buffer.byteLength(key) <= MAX_SIMPLE_KEY && !hasBreak(key);
      if (simple) {
        this.scalar(key, indent, true);
        this.indicator(':', false, false, false);
      } else {
        this.indicator('?', true, false, true);
        this.scalar(key, indent, false);
        this.indent(indent);
        this.indicator(':', true, false, true);
      }
      this.node(value[key]!, indent, true);
    }
  }

  private scalar(value: Value, parent: number, simpleKey: boolean): void {
    const indent = Emitter.deeper(parent, true, false);
    if (typeof value === 'string') {
      if (!simpleKey && value.includes('\n') && blockAllowed(value)) this.literal(value, indent);
      else this.doubleQuoted(value, !simpleKey, indent);
      return;
    }
    const text =
      value === null
        ? 'null'
        : typeof value === 'boolean'
          ? String(value)
          : value instanceof BigFloat
            ? value.text('f')
            : String(value);
    if (!this.whitespace) this.put(' ');
    this.put(text);
    this.whitespace = false;
    this.indention = false;
    if (parent < 0) this.openEnded = true;
  }

  /** Runs of plain characters are written whole; the column is only needed at a space, where a fold may go. */
  private doubleQuoted(text: string, allowBreaks: boolean, indent: number): void {
    this.indicator('"', true, false, false);
    let plainFrom = 0;
    const writePlain = (to: number) => {
      if (to > plainFrom) this.put(text.slice(plainFrom, to));
    };
    const notPlain = new RegExp(NOT_PLAIN);
    for (let found = notPlain.exec(text); found !== null; found = notPlain.exec(text)) {
      const i = found.index;
      writePlain(i);
      const cp = text.codePointAt(i)!;
      if (cp !== 0x20) {
        this.put(escaped(cp));
        plainFrom = notPlain.lastIndex = i + (cp > 0xffff ? 2 : 1);
      } else if (
        allowBreaks &&
        text[i - 1] !== ' ' &&
        this.column > BEST_WIDTH &&
        i !== 0 &&
        i !== text.length - 1
      ) {
        // Folded: the line break stands for this space; a following space is kept by escaping the line start.
        this.indent(indent);
        if (text[i + 1] === ' ') this.put('\\');
        this.whitespace = false;
        this.indention = false;
        plainFrom = i + 1;
      } else plainFrom = i;
    }
    writePlain(text.length);
    this.indicator('"', false, false, false);
  }

  /**
   * Each line that has text gets `indent` spaces (the emitter stands at a line start after each break, so its
   * indent() only pads): written in one replace rather than a piece per line, whose millions of pieces the garbage
   * collector then walks.
   */
  private literal(text: string, indent: number): void {
    this.indicator('|', true, false, false);
    if (text[0] === ' ' || isBreak(text[0])) this.indicator(String(BEST_INDENT), false, false, false);
    const last = text.length - 1;
    if (!isBreak(text[last])) this.indicator('-', false, false, false);
    else if (last === 0 || isBreak(text[last - 1])) this.indicator('+', false, false, false);
    this.lineBreak();
    const padding = ' '.repeat(Math.max(indent, 0));
    this.out += (isBreak(text[0]) ? '' : padding) + text.replace(LINE_WITH_TEXT, `$&${padding}`);
    const lastLine = text.slice(lastBreak(text) + 1);
    this.column = lastLine === '' ? 0 : padding.length + codePointCount(lastLine);
    this.indention = lastLine === '';
    this.whitespace = true;
  }
}

export function yamlEncode(value: Value): string {
  const emitter = new Emitter();
  emitter.node(value, -1, false);
  emitter.indent(-1);
  if (emitter.openEnded) {
    emitter.put('...');
    emitter.lineBreak();
  }
  return emitter.out;
}
