/**
 * Runs a Plan: registration waves in order (bounded parallelism within a wave), each change carried out by its
 * kind (which enforces what the plan saw and follows it to its end); then, only if every registration succeeded,
 * the deletes wave by wave in the same way. A plan gone stale anywhere is refused before its first write. After a
 * failure nothing more starts, and every change says what happened to it.
 */
import { anyKind, KIND_ORDER } from '../kinds/registry.js';
import type { KindRun } from '../kinds/kind.js';
import { UserError } from '../errors.js';
import { addressKey, KIND_NOUNS } from '../kinds/address.js';
import type { Change, KindName, UnseenKind } from '../plan/model.js';
import { mapLimit } from '../util/limit.js';
import { DEFAULT_PARALLELISM } from './defaults.js';
import { GOOD_OUTCOMES, type ApplyOptions, type ApplyResult, type ChangeResult } from './types.js';
import { stoppedBeforeStart, waveBound, type WaveBound } from './wave-bound.js';

export type { ApplyEvent, ApplyOptions, ApplyResult, ChangeResult, Outcome } from './types.js';

type NotDone = 'not started' | 'not deleted';

export async function applyPlan(options: ApplyOptions): Promise<ApplyResult> {
  refuseUnseen(options.plan.unseen ?? []);
  const runs = new Map<KindName, KindRun<Change>>();
  for (const name of KIND_ORDER) {
    const changes = options.plan.changes.filter((c) => c.kind === name);
    if (changes.length > 0) runs.set(name, anyKind(name).open(options, changes));
  }
  try {
    return await new PlanRun(options, runs).run();
  } finally {
    await Promise.all([...runs.values()].map((run) => run.close()));
  }
}

/**
 * The plan's changes whose objects changed since it was made (address key → why), asked of each kind; a rollout
 * over several clusters asks every cluster before its first write.
 */
export async function staleChangesOf(options: ApplyOptions): Promise<Map<string, string>> {
  const stale = new Map<string, string>();
  for (const name of KIND_ORDER) {
    const changes = options.plan.changes.filter((c) => c.kind === name);
    if (changes.length === 0) continue;
    for (const [key, why] of await anyKind(name).staleChanges(options, changes)) stale.set(key, why);
  }
  return stale;
}

/** A plan that could not read a kind the project declares is not applied: it would write blind. */
function refuseUnseen(unseen: readonly UnseenKind[]): void {
  if (unseen.length === 0) return;
  throw new UserError(
    `the plan could not read ${unseen.map((u) => KIND_NOUNS[u.kind].many).join(', ')}: nothing was applied`,
    {
      code: 'unseen_kinds',
      hint: `The token needs ${unseen.map((u) => `${u.needs} (${KIND_NOUNS[u.kind].many})`).join('; ')}.`,
    },
  );
}

class PlanRun {
  private readonly results = new Map<string, ChangeResult>();
  /** Why nothing more starts, once something did not succeed: each change left out says so. */
  private halt: ((notDone: NotDone) => string) | undefined;
  private readonly emit: NonNullable<ApplyOptions['emit']>;

  constructor(
    private readonly options: ApplyOptions,
    private readonly runs: ReadonlyMap<KindName, KindRun<Change>>,
  ) {
    this.emit = options.emit ?? (() => {});
  }

  async run(): Promise<ApplyResult> {
    const { plan } = this.options;
    for (const change of plan.changes.filter((c) => c.action === 'noop'))
      this.finish(this.unrun(change, 'unchanged', 'unchanged'));

    const stale = await this.staleChanges();
    const fresh = (c: Change) => !stale.has(addressKey(c.address));
    for (const change of plan.changes.filter((c) => !fresh(c)))
      this.finish({ ...this.unrun(change, 'failed', stale.get(addressKey(change.address))!), stale: true });
    if (stale.size > 0) this.halt = (notDone) => `${notDone}: the plan is stale`;

    await this.runWaves(
      plan.changes.filter((c) => c.action !== 'noop' && c.action !== 'delete' && fresh(c)),
      'not started',
    );
    const waiting = [...this.results.values()].filter((r) => r.outcome === 'promotion-ready');
    if (!this.halt && waiting.length > 0) {
      const names = waiting.map((r) => r.address.name);
      this.halt = () =>
        `not deleted: ${names.join(', ')} still wait${names.length === 1 ? 's' : ''} for promotion`;
    }
    await this.runWaves(
      plan.changes.filter((c) => c.action === 'delete' && fresh(c)),
      'not deleted',
    );

    const ordered = plan.changes.map((c) => this.results.get(addressKey(c.address))!);
    return {
      results: ordered,
      ok: ordered.every((r) => GOOD_OUTCOMES.has(r.outcome)),
      cancelled: Boolean(this.options.signal?.aborted),
    };
  }

  /** Every kind's stale changes, by address key. */
  private staleChanges(): Promise<Map<string, string>> {
    return staleChangesOf(this.options);
  }

  /** Waves in order, up to `parallelism` changes at once within one; once one fails, nothing more starts. */
  private async runWaves(changes: readonly Change[], notDone: NotDone): Promise<void> {
    const { options } = this;
    for (const wave of [...new Set(changes.map((c) => c.wave))].sort((a, b) => a - b)) {
      const inWave = changes.filter((c) => c.wave === wave);
      if (this.halt || options.signal?.aborted) {
        inWave.forEach((c) => this.notRun(c, notDone));
        continue;
      }
      this.emit({ type: 'wave', wave, changes: inWave.map((c) => c.address) });
      const bound = waveBound(options);
      await mapLimit(inWave, options.parallelism ?? DEFAULT_PARALLELISM, async (change) => {
        if (!this.halt) await options.beforeWrite?.();
        if (this.halt || options.signal?.aborted) return this.notRun(change, notDone);
        const result = await this.step(change, bound);
        this.stopAfter(result);
        this.finish(result);
      });
    }
  }

  private step(change: Change, bound: WaveBound): Promise<ChangeResult> {
    const run = this.runs.get(change.kind);
    if (!run) throw new Error(`no run open for kind ${change.kind}`);
    return run.apply(change, bound, this.emit);
  }

  private stopAfter(result: ChangeResult): void {
    if (this.halt || GOOD_OUTCOMES.has(result.outcome)) return;
    const { name } = result.address;
    this.halt =
      result.outcome === 'cancelled' || this.options.signal?.aborted
        ? () => stoppedBeforeStart(this.options)
        : result.stale
          ? (notDone) => `${notDone}: ${name} changed since the plan`
          : (notDone) => `${notDone}: ${name} did not succeed`;
  }

  private notRun(change: Change, notDone: NotDone): void {
    this.finish(this.unrun(change, 'not-run', this.halt?.(notDone) ?? stoppedBeforeStart(this.options)));
  }

  private unrun(change: Change, outcome: ChangeResult['outcome'], message: string): ChangeResult {
    return {
      address: change.address,
      action: change.action,
      outcome,
      message,
      durationMs: 0,
      explanation: [],
    };
  }

  private finish(result: ChangeResult): void {
    this.results.set(addressKey(result.address), result);
    this.emit({ type: 'finished', result });
  }
}
