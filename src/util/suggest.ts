/**
 * The edit-distance cells one call may compute: ordinary calls need a few thousand. Past it, the candidates left
 * are not compared, so a hostile file's long names and huge objects cost each lookup little.
 */
const CELL_BUDGET = 100_000;

/** The closest candidate by edit distance, when close enough to be a likely typo. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lowerName = name.toLowerCase();
  let best: string | undefined;
  // What a candidate's distance must be at most: within the typo limit, and closer than the best so far.
  let bound = Math.max(2, Math.floor(name.length / 3));
  let budget = CELL_BUDGET;
  for (const candidate of candidates) {
    // An exact match: nothing comes closer.
    if (bound < 0) break;
    // Each edit changes the length by one at most, and lowercasing never shortens: a candidate longer by more is no
    // typo of the name, and is not lowercased, however long.
    if (candidate.length - lowerName.length > bound) continue;
    const lowerCandidate = candidate.toLowerCase();
    if (Math.abs(lowerCandidate.length - lowerName.length) > bound) continue;
    const cells = lowerName.length * (2 * bound + 1);
    if (cells > budget) continue;
    budget -= cells;
    const distance = editDistanceWithin(lowerName, lowerCandidate, bound);
    if (distance <= bound) {
      best = candidate;
      bound = distance - 1;
    }
  }
  return best;
}

/**
 * Edits between two strings whose lengths differ by `bound` at most, a swap of two neighbours counting as one
 * ("plna" is one edit from "plan"), or `bound + 1` when there are more. Only the cells within `bound` of the
 * diagonal are computed (those off it are more than `bound` edits), and the rows stop once none is within it.
 */
function editDistanceWithin(a: string, b: string, bound: number): number {
  const beyond = bound + 1;
  let before = new Int32Array(b.length + 1);
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let j = 0; j <= Math.min(b.length, beyond); j++) previous[j] = Math.min(j, beyond);
  for (let i = 1; i <= a.length; i++) {
    const first = Math.max(1, i - bound);
    const last = Math.min(b.length, i + bound);
    // The cells either side of the band: the next rows read them.
    current[first - 1] = first === 1 ? Math.min(i, beyond) : beyond;
    if (last < b.length) current[last + 1] = beyond;
    let rowBest = current[first - 1]!;
    for (let j = first; j <= last; j++) {
      let cell = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        cell = Math.min(cell, before[j - 2]! + 1);
      current[j] = cell;
      rowBest = Math.min(rowBest, cell);
    }
    if (rowBest > bound) return beyond;
    [before, previous, current] = [previous, current, before];
  }
  return Math.min(previous[b.length]!, beyond);
}
