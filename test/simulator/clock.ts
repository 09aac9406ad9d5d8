/**
 * The simulator's clock. Scheduler transitions (allocations starting, becoming healthy, deadlines) are timers on
 * this clock. "manual": time moves only when a test calls advance(), so tests are exact and fast. "realtime": time
 * follows the wall clock, multiplied by `speed` (the demo and e2e tests use this).
 */
export interface ClockOptions {
  readonly mode?: 'manual' | 'realtime';
  /** realtime only: simulated ms per real ms. Default 1. */
  readonly speed?: number;
  /** The simulated start time (unix ms). Default: the wall clock's, as a real agent's clock reads. */
  readonly start?: number;
}

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

export class SimClock {
  readonly mode: 'manual' | 'realtime';
  private readonly speed: number;
  private current: number;
  private realAnchor: number;
  private timers: Timer[] = [];
  private seq = 0;
  private wake: NodeJS.Timeout | undefined;

  constructor(options: ClockOptions = {}) {
    this.mode = options.mode ?? 'manual';
    this.speed = options.speed ?? 1;
    this.current = options.start ?? Date.now();
    this.realAnchor = Date.now();
  }

  now(): number {
    if (this.mode === 'realtime') {
      const real = Date.now();
      this.current += (real - this.realAnchor) * this.speed;
      this.realAnchor = real;
    }
    return this.current;
  }

  /** Runs fn once the simulated clock reaches now + delayMs. Returns a cancel function. */
  after(delayMs: number, run: () => void): () => void {
    const timer: Timer = { at: this.now() + Math.max(0, delayMs), seq: this.seq++, run, cancelled: false };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    if (this.mode === 'realtime') this.schedule();
    return () => {
      timer.cancelled = true;
    };
  }

  /**
   * A lease a client renews on its own wall clock (a variable lock's TTL): it runs in real time whatever the speed,
   * else a sped-up simulator would expire every lease between two renewals. In manual mode, as after().
   */
  afterReal(delayMs: number, run: () => void): () => void {
    return this.after(this.mode === 'realtime' ? delayMs * this.speed : delayMs, run);
  }

  /** manual mode: moves time forward, running every timer that falls due, in order (timers may add timers). */
  advance(ms: number): void {
    if (this.mode !== 'manual') throw new Error('advance() is for the manual clock');
    const target = this.current + ms;
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.current = Math.max(this.current, next.at);
      if (!next.cancelled) next.run();
    }
    this.current = target;
  }

  /** manual mode: runs everything due now (timers with zero delay). */
  flush(): void {
    this.advance(0);
  }

  /** Pending timers, for tests that want to know if anything is still scheduled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  stop(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
    this.timers = [];
  }

  private schedule(): void {
    if (this.wake) clearTimeout(this.wake);
    const next = this.timers[0];
    if (!next) return;
    const realDelay = Math.max(0, (next.at - this.now()) / this.speed);
    this.wake = setTimeout(() => this.fire(), realDelay);
    this.wake.unref();
  }

  private fire(): void {
    const now = this.now();
    while (this.timers[0] && this.timers[0].at <= now) {
      const timer = this.timers.shift()!;
      if (!timer.cancelled) timer.run();
    }
    this.schedule();
  }
}
