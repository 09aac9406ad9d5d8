/** Where one job of a stack stands now (drover status). */
export interface JobStatusReport {
  readonly id: string;
  readonly namespace: string;
  readonly type: string;
  readonly status: string;
  readonly version: number;
  readonly stopped: boolean;
  readonly deployment: {
    readonly id: string;
    readonly status: string;
    readonly description: string;
    /** When its canaries all turned healthy, if it now waits for a promotion; else null. */
    readonly waiting_for_promotion_since: string | null;
  } | null;
  readonly allocations: {
    readonly running: number;
    /** null for a job without deployments: Nomad tracks no health for its allocations. */
    readonly healthy: number | null;
    readonly failed: number;
    readonly pending: number;
  };
  /** Summed over running allocations, from the allocation stats endpoint. */
  readonly usage: { readonly cpu_percent: number; readonly memory_bytes: number } | null;
}

/**
 * An object of another kind the stack's inventory lists, and whether it is as drover last wrote it ('unknown' when
 * the token may not see its kind whole: what it would need is in `needs`).
 */
export interface ObjectStatusReport {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly state: 'as-applied' | 'edited' | 'deleted' | 'unknown';
  readonly needs?: string;
}
