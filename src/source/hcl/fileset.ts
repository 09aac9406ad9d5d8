/**
 * fileset()'s walk, bounded as Nomad's doublestar.Glob is by its pattern: a pattern without `**` matches paths
 * of a fixed number of segments, so the walk goes no deeper, and, before any `**`, only into directories whose
 * names match their segment. Walking all of `/` for `fileset("/", "x")` took 5-14 s and 470 MB; a `**` may still
 * walk a whole tree, and is stopped at MAX_FILESET_ENTRIES.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RE2JS } from 're2js';
import { globSource } from '../../util/glob.js';
import { goRegexp } from './go-regexp.js';

/** Directory entries one fileset() call may visit: far past a job's templates, short of a whole disk. */
export const MAX_FILESET_ENTRIES = 100_000;

/** The files below `base` that `pattern` matches, "/"-separated and relative to it. */
export function filesetPaths(base: string, pattern: string, limit = MAX_FILESET_ENTRIES): string[] {
  // RE2, linear in the path: a pattern from a job file must not backtrack for ever (10,000 stars did).
  const regex = goRegexp(globSource(pattern));
  return walk(base, pattern, limit).filter((path) => regex.matches(path));
}

/** How deep a match can lie: one segment per "/" (a `[/]` class counts too), any depth past a `**`. */
const matchDepth = (pattern: string) => (pattern.includes('**') ? Infinity : pattern.split('/').length);

/** The name each directory level must match, for the segments before a `**`. */
function segmentNames(pattern: string): RE2JS[] {
  if (slashInGroup(pattern)) return [];
  const segments = pattern.split('/');
  const fixed = segments.findIndex((segment) => segment.includes('**'));
  return segments.slice(0, fixed === -1 ? undefined : fixed).map((segment) => goRegexp(globSource(segment)));
}

/** A "/" inside braces or a class (`{a,b/c}`, `[/]`) leaves the segments unclear. */
function slashInGroup(pattern: string): boolean {
  let braces = 0;
  let inClass = false;
  for (const c of pattern) {
    if (c === '/' && (inClass || braces > 0)) return true;
    if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '{') braces++;
    else if (c === '}' && braces > 0) braces--;
  }
  return false;
}

/** Every file the pattern can reach, depth first, without recursion (a deep tree must not exhaust the stack). */
function walk(base: string, pattern: string, limit: number): string[] {
  const depthLimit = matchDepth(pattern);
  const names = segmentNames(pattern);
  const files: string[] = [];
  const pending = [{ dir: base, path: '', depth: 0 }];
  let visited = 0;
  for (let at = pending.pop(); at !== undefined; at = pending.pop())
    for (const entry of readdirSync(at.dir, { withFileTypes: true })) {
      if (++visited > limit) throw new Error(tooMany(base, pattern, limit));
      if (names[at.depth] && !names[at.depth]!.matches(entry.name)) continue;
      const path = at.path === '' ? entry.name : `${at.path}/${entry.name}`;
      if (!entry.isDirectory()) files.push(path);
      else if (at.depth + 1 < depthLimit)
        pending.push({ dir: join(at.dir, entry.name), path, depth: at.depth + 1 });
    }
  return files;
}

const tooMany = (base: string, pattern: string, limit: number) =>
  `matching "${pattern}" under ${base} visits more than ${limit.toLocaleString('en-US')} files and directories, the most one fileset() call reads; give it a narrower base directory or a pattern without "**"`;
