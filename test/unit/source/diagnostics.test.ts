import { jest } from '@jest/globals';
import { error, formatDiagnostic, type Diagnostic } from '../../../src/source/hcl/diagnostics.js';

/** An error on line `line` of `file`, from its first column for `width` characters. */
const at = (file: string, line: number, width = 1): Diagnostic => {
  const start = { line, column: 1, offset: 0 };
  return error({ file, start, end: { ...start, column: 1 + width } }, 'Invalid expression');
};

/** The source line a formatted diagnostic shows, without its gutter. */
const shown = (formatted: string) => formatted.split('\n')[1]?.replace(/^ +\d+ \| /, '');

describe('formatDiagnostic', () => {
  it('shows the line the diagnostic starts on, of the source it names', () => {
    const job = 'job "j" {\r\n  a = = =\r\n}';
    const vars = 'x = 1\ny = 2\n';
    expect(shown(formatDiagnostic(at('job.hcl', 2, 3), job))).toBe('  a = = =\r');
    expect(shown(formatDiagnostic(at('vars.hcl', 2), vars))).toBe('y = 2');
    expect(shown(formatDiagnostic(at('job.hcl', 3), job))).toBe('}');
    expect(shown(formatDiagnostic(at('vars.hcl', 3), vars))).toBe('');
    // Past the end, no line is shown: the summary stands alone.
    expect(formatDiagnostic(at('vars.hcl', 4), vars)).toBe('vars.hcl:4:1: error: Invalid expression');
  });

  it('shows the right lines of sources whose diagnostics alternate', () => {
    const sources = Array.from({ length: 6 }, (_, s) =>
      Array.from({ length: 5 }, (_, l) => `source ${s} line ${l + 1}`).join('\n'),
    );
    for (let round = 0; round < 3; round++)
      sources.forEach((source, s) =>
        expect(shown(formatDiagnostic(at(`${s}.hcl`, 5 - round), source))).toBe(
          `source ${s} line ${5 - round}`,
        ),
      );
  });

  it("reads a file's lines once for all its diagnostics, not once per diagnostic", () => {
    const count = 2_000;
    const source = Array.from({ length: count }, (_, i) => `a${i} = = =`).join('\n');
    const split = jest.spyOn(String.prototype, 'split');
    try {
      for (let line = 1; line <= count; line++)
        expect(shown(formatDiagnostic(at('many.hcl', line), source))).toBe(`a${line - 1} = = =`);
      const wholeSourceSplits = split.mock.contexts.filter((text) => String(text) === source);
      expect(wholeSourceSplits.length).toBeLessThanOrEqual(1);
    } finally {
      split.mockRestore();
    }
  });
});
