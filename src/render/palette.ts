/**
 * Colour as a value handed to a renderer, never a global switch: ANSI paints with terminal escapes, PLAIN leaves
 * text as it is. The escapes are the SGR codes kleur writes (a style nested in the same style re-opens after the
 * inner one closes), so coloured output reads as it always did.
 */
export type Paint = (text: string) => string;

export type Hue = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'gray';

export interface Palette {
  readonly bold: Paint;
  readonly hue: (hue: Hue) => Paint;
  /** A hue in bold (section titles). */
  readonly boldHue: (hue: Hue) => Paint;
}

const HUE_CODE: Readonly<Record<Hue, number>> = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
};
const COLOUR_OFF = 39;
const BOLD: readonly [number, number] = [1, 22];

function sgr(...styles: ReadonlyArray<readonly [number, number]>): Paint {
  return (text) => {
    let begin = '';
    let end = '';
    let body = text;
    for (const [on, off] of styles) {
      begin += `\u001b[${on}m`;
      end += `\u001b[${off}m`;
      body = body.replaceAll(`\u001b[${off}m`, `\u001b[${off}m\u001b[${on}m`);
    }
    return begin + body + end;
  };
}

const same: Paint = (text) => text;

export const PLAIN: Palette = { bold: same, hue: () => same, boldHue: () => same };

const each = (paint: (code: number) => Paint) =>
  Object.fromEntries(Object.entries(HUE_CODE).map(([hue, code]) => [hue, paint(code)])) as Record<Hue, Paint>;
const HUES = each((code) => sgr([code, COLOUR_OFF]));
const BOLD_HUES = each((code) => sgr([code, COLOUR_OFF], BOLD));

export const ANSI: Palette = {
  bold: sgr(BOLD),
  hue: (hue) => HUES[hue],
  boldHue: (hue) => BOLD_HUES[hue],
};

export function paletteFor(color: boolean): Palette {
  return color ? ANSI : PLAIN;
}
