/**
 * Finds any of a set of secrets in a text in one pass (an Aho–Corasick automaton over UTF-16 code units), so
 * scrubbing a plan costs the length of its text, not that length times the number of secrets: 2,000 jobs with a
 * password each used to mean 2,000 searches of every string.
 */

interface State {
  readonly next: Map<number, State>;
  /** Longest secret ending here, 0 if none. */
  length: number;
  fail: State | undefined;
  /** The nearest state on the failure chain that ends a secret (the dictionary link). */
  output: State | undefined;
}

const newState = (): State => ({ next: new Map(), length: 0, fail: undefined, output: undefined });

export class SecretFinder {
  private readonly root = newState();

  /**
   * `secrets` are found anywhere in a text; `whole`, too short to cut out of other words ("abc" would maim
   * "abcdef"), only where they are the entire text.
   */
  constructor(
    secrets: Iterable<string>,
    private readonly whole: ReadonlySet<string> = new Set(),
  ) {
    for (const secret of secrets) {
      if (secret === '') continue;
      let state = this.root;
      for (let i = 0; i < secret.length; i++) {
        const code = secret.charCodeAt(i);
        let next = state.next.get(code);
        if (!next) state.next.set(code, (next = newState()));
        state = next;
      }
      state.length = secret.length;
    }
    this.link();
  }

  /** Whether there is nothing to find: no secret at all. */
  get isEmpty(): boolean {
    return this.root.next.size === 0 && this.whole.size === 0;
  }

  /** Breadth first: each state's failure is the longest proper suffix of its path that is also a path. */
  private link(): void {
    const queue: State[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [code, child] of state.next) {
        let fail = state.fail;
        while (fail && !fail.next.has(code)) fail = fail.fail;
        child.fail = fail?.next.get(code) ?? this.root;
        child.output = child.fail.length > 0 ? child.fail : child.fail.output;
        queue.push(child);
      }
    }
  }

  /**
   * Every occurrence of a secret, as the longest secret starting at each position where one starts:
   * `longest[start] = length`, or undefined when the text holds none.
   */
  private occurrences(text: string): Map<number, number> | undefined {
    let found: Map<number, number> | undefined;
    let state = this.root;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      while (state !== this.root && !state.next.has(code)) state = state.fail!;
      state = state.next.get(code) ?? this.root;
      for (let hit: State | undefined = state.length > 0 ? state : state.output; hit; hit = hit.output) {
        const start = i - hit.length + 1;
        found ??= new Map();
        if ((found.get(start) ?? 0) < hit.length) found.set(start, hit.length);
      }
    }
    return found;
  }

  /** The text with each secret replaced, leftmost first and the longest where several start together. */
  replace(text: string, replacement: string): string {
    if (this.whole.has(text)) return replacement;
    const found = this.occurrences(text);
    if (!found) return text;
    let out = '';
    let copied = 0;
    for (const start of [...found.keys()].sort((a, b) => a - b)) {
      if (start < copied) continue;
      out += text.slice(copied, start) + replacement;
      copied = start + found.get(start)!;
    }
    return out + text.slice(copied);
  }

  /** Each secret the text holds, with where it first starts. */
  firstOccurrences(text: string): Array<{ readonly secret: string; readonly at: number }> {
    const found = this.occurrences(text);
    if (!found) return [];
    const first = new Map<string, number>();
    for (const [start, length] of found) {
      const secret = text.slice(start, start + length);
      if (!first.has(secret) || first.get(secret)! > start) first.set(secret, start);
    }
    return [...first].map(([secret, at]) => ({ secret, at }));
  }
}
