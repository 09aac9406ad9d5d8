/** Fault injection, chosen by tests through the control API. A rule applies to matching requests, `times` times. */
export type FaultKind =
  /** Answer with this status and body instead of handling the request. */
  | 'status'
  /** Every matching request waits this long first. */
  | 'latency'
  /** Nomad without a leader: "No cluster leader" (500), except stale reads. */
  | 'no-leader'
  /** Close the connection without an answer (mid-wait for blocking queries). */
  | 'drop'
  /** Let the answer start, then close the connection after afterMs: a proxy that ends streaming responses. */
  | 'cut'
  /** Send the body in small chunks with a pause between them. */
  | 'slow-body';

export interface FaultRule {
  readonly kind: FaultKind;
  readonly method?: string;
  /** A regular expression tested against the path (with /v1). */
  readonly path?: string;
  /** Only requests that are blocking queries (index > 0). */
  readonly blockingOnly?: boolean;
  /** How many matching requests it applies to. Default: all. */
  readonly times?: number;
  readonly status?: number;
  readonly body?: string;
  readonly latencyMs?: number;
  /** drop, cut: how long into the request the connection is closed. Default 20 ms. */
  readonly afterMs?: number;
  readonly chunkDelayMs?: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
  pattern: RegExp | undefined;
}

export class Faults {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({
      rule,
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
      pattern: rule.path ? new RegExp(rule.path) : undefined,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** The rules that apply to this request; each use counts against `times`. */
  take(method: string, path: string, blocking: boolean, stale: boolean): FaultRule[] {
    const hits: FaultRule[] = [];
    for (const active of this.rules) {
      const { rule } = active;
      if (active.remaining <= 0) continue;
      if (rule.method && rule.method !== method) continue;
      if (active.pattern && !active.pattern.test(path)) continue;
      if (rule.blockingOnly && !blocking) continue;
      if (rule.kind === 'no-leader' && stale && method === 'GET') continue;
      active.remaining--;
      hits.push(rule);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return hits;
  }
}
