import { createTwoFilesPatch } from 'diff';

/** `drover fmt --diff`: a unified diff from the file as it is to the file formatted. */
export function renderFormatDiff(path: string, before: string, after: string): string {
  return createTwoFilesPatch(path, path, before, after, '', '', { context: 3 })
    .split('\n')
    .filter((line, i) => i > 1 || !(line.startsWith('Index: ') || line.startsWith('=====')))
    .join('\n');
}
