/** Made on first use: creating it loads ICU's break rules, ~20 ms a command would pay for ASCII-only files too. */
let segmenter: Intl.Segmenter | undefined;

/**
 * A text's user-perceived characters (grapheme clusters), what cty's string functions and hclwrite count. ASCII
 * text is one cluster per character (but "\r\n", which is one); only other text needs the segmenter.
 */
export function graphemes(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text) && !text.includes('\r\n')) return [...text];
  return Array.from((segmenter ??= new Intl.Segmenter()).segment(text), (g) => g.segment);
}
