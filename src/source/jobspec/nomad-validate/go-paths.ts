/**
 * Go's slash-path functions as Nomad's path checks use them on Linux (path.Clean, path.Base, filepath.Rel), and
 * the two checks built on them: escapingfs.PathEscapesAllocViaRelative and helper.IsSubdirectory.
 */

/** Go's path.Clean: the shortest equivalent path, "." for an empty one. */
export function goClean(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..') parts.push(part);
    else if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
    else if (!rooted) parts.push('..');
  }
  const joined = parts.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** Go's path.Join: the non-empty parts joined with slashes, then cleaned. */
export function goJoin(...parts: string[]): string {
  const kept = parts.filter((p) => p !== '');
  return kept.length === 0 ? '' : goClean(kept.join('/'));
}

/** Go's path.Base: the last element, trailing slashes dropped; "." for an empty path, "/" for a root. */
export function goBase(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** Go's filepath.Rel on Linux, or undefined where Go returns an error. */
export function goRel(basePath: string, targetPath: string): string | undefined {
  const base = goClean(basePath);
  const target = goClean(targetPath);
  if (target === base) return '.';
  const rooted = base.startsWith('/');
  if (rooted !== target.startsWith('/')) return undefined;
  const baseParts = elements(rooted ? base.slice(1) : base === '.' ? '' : base);
  const targetParts = elements(rooted ? target.slice(1) : target);
  let same = 0;
  while (same < baseParts.length && same < targetParts.length && baseParts[same] === targetParts[same])
    same++;
  const up = baseParts.slice(same);
  if (up[0] === '..') return undefined;
  return [...up.map(() => '..'), ...targetParts.slice(same)].join('/');
}

const elements = (path: string): string[] => (path === '' ? [] : path.split('/'));

/** PathEscapesAllocViaRelative: whether `prefix`/`path` climbs out of the allocation directory. */
export function escapesAllocDir(prefix: string, path: string): boolean {
  const alloc = '/alloc-dir/alloc-id';
  const rel = goRel(alloc, goJoin(alloc, prefix, path)) ?? '';
  return rel.startsWith('..');
}

/** helper.IsSubdirectory: whether `path` is `parent` or below it. */
export function isSubdirectory(parent: string, path: string): boolean {
  const rel = goRel(parent, path);
  return rel !== undefined && !rel.startsWith('..');
}
