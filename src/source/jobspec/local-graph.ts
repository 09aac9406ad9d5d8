/**
 * Which locals wait for which, by index, the lists packed into typed arrays: a file may hold hundreds of thousands
 * of locals, and a Map entry and an array per local and direction took 140 MB for 271,000 of them. A local that
 * reads `local` as a whole waits for every other one; those are kept apart, never as an edge to each.
 */
export class LocalGraph {
  private readonly needStart: Int32Array;
  private readonly needList: Int32Array;
  private readonly neededByStart: Int32Array;
  private readonly neededByList: Int32Array;
  private readonly waitsForAll: Uint8Array;
  private readonly waitingForAll: readonly number[];

  /** `needs[i]`: the indexes local i names (each once), or 'all'. */
  constructor(needs: ReadonlyArray<readonly number[] | 'all'>) {
    const size = needs.length;
    this.waitsForAll = new Uint8Array(size);
    const waitingForAll: number[] = [];
    this.needStart = new Int32Array(size + 1);
    const neededByCount = new Int32Array(size);
    needs.forEach((named, i) => {
      if (named === 'all') {
        this.waitsForAll[i] = 1;
        waitingForAll.push(i);
      }
      const count = named === 'all' ? 0 : named.length;
      this.needStart[i + 1] = this.needStart[i]! + count;
      if (named !== 'all') for (const need of named) neededByCount[need]!++;
    });
    this.waitingForAll = waitingForAll;
    this.needList = new Int32Array(this.needStart[size]!);
    this.neededByStart = new Int32Array(size + 1);
    for (let i = 0; i < size; i++) this.neededByStart[i + 1] = this.neededByStart[i]! + neededByCount[i]!;
    this.neededByList = new Int32Array(this.neededByStart[size]!);
    const filled = this.neededByStart.slice(0, size);
    needs.forEach((named, i) => {
      if (named === 'all') return;
      named.forEach((need, k) => {
        this.needList[this.needStart[i]! + k] = need;
        this.neededByList[filled[need]!++] = i;
      });
    });
  }

  get size(): number {
    return this.waitsForAll.length;
  }

  /** How many locals local i waits for. */
  waitCount(i: number): number {
    return this.waitsForAll[i] ? this.size - 1 : this.needStart[i + 1]! - this.needStart[i]!;
  }

  /** The locals local i waits for. */
  *needsOf(i: number): Generator<number> {
    if (this.waitsForAll[i]) {
      for (let j = 0; j < this.size; j++) if (j !== i) yield j;
      return;
    }
    for (let k = this.needStart[i]!; k < this.needStart[i + 1]!; k++) yield this.needList[k]!;
  }

  /** The locals that wait for local i. */
  *dependentsOf(i: number): Generator<number> {
    for (let k = this.neededByStart[i]!; k < this.neededByStart[i + 1]!; k++) yield this.neededByList[k]!;
    for (const j of this.waitingForAll) if (j !== i) yield j;
  }
}
