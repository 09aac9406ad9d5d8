import { relative } from 'node:path';

/** A path as messages show it: relative to where drover runs, unless that climbs out of it (then absolute). */
export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') ? path : rel;
}
