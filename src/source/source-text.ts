/**
 * The text of a file drover reads (job files, var files, drover.hcl), from its bytes. Valid UTF-8 decodes as
 * usual; each byte of an invalid sequence becomes a lone surrogate (U+DC80–U+DCFF), a code unit no valid UTF-8
 * decodes to, so the reader can refuse the file at that byte, as Nomad does ("All input files must be UTF-8
 * encoded"), instead of sending U+FFFD in its place.
 */
import { error, type Diagnostic } from './hcl/diagnostics.js';

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeSourceText(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    let out = '';
    let run = 0;
    for (let i = 0; i < bytes.length;) {
      const length = sequenceLength(bytes, i);
      if (length > 0) {
        i += length;
        continue;
      }
      out += strict.decode(bytes.subarray(run, i)) + String.fromCharCode(0xdc00 + bytes[i]!);
      run = ++i;
    }
    return out + strict.decode(bytes.subarray(run));
  }
}

/** The length of the valid UTF-8 sequence at `i` (no overlong form, no surrogate, nothing past U+10FFFF), else 0. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, low = 0x80, high = 0xbf) =>
    bytes[i + k] !== undefined && bytes[i + k]! >= low && bytes[i + k]! <= high;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [low, high] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, low, high) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [low, high] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, low, high) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** Nomad's refusal of a file that is not UTF-8, at its first invalid byte; undefined for a valid one. */
export function encodingProblem(text: string, file: string): Diagnostic | undefined {
  const match = /(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.exec(text);
  if (!match) return undefined;
  const before = text.slice(0, match.index);
  const line = before.split('\n').length;
  const column = match.index - before.lastIndexOf('\n');
  const at = { line, column, offset: match.index };
  return error(
    { file, start: at, end: { ...at, column: column + 1, offset: match.index + 1 } },
    'Invalid character encoding',
    'All input files must be UTF-8 encoded. Ensure that UTF-8 encoding is selected in your editor.',
  );
}
