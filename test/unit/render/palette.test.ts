import { ANSI, PLAIN, paletteFor } from '../../../src/render/palette.js';

const ESC = '\u001b';

describe('palette', () => {
  it('plain leaves text as it is', () => {
    expect(PLAIN.boldHue('red')(PLAIN.hue('green')('+ job "web"'))).toBe('+ job "web"');
    expect(paletteFor(false)).toBe(PLAIN);
  });

  it('paints with SGR escapes, a hue in bold opening the hue first', () => {
    expect(ANSI.hue('green')('+')).toBe(`${ESC}[32m+${ESC}[39m`);
    expect(ANSI.hue('gray')('  [wave 1]')).toBe(`${ESC}[90m  [wave 1]${ESC}[39m`);
    expect(ANSI.boldHue('red')('Not planned:')).toBe(`${ESC}[31m${ESC}[1mNot planned:${ESC}[39m${ESC}[22m`);
    expect(paletteFor(true)).toBe(ANSI);
  });

  it('re-opens an outer hue after an inner one closes', () => {
    expect(ANSI.hue('yellow')(`a ${ANSI.hue('green')('+')} b`)).toBe(
      `${ESC}[33ma ${ESC}[32m+${ESC}[39m${ESC}[33m b${ESC}[39m`,
    );
  });
});
