/**
 * Apply progress from the applier's events, transitions only. Without a terminal (or with CI=true): one
 * timestamped line per transition, no ANSI. On a terminal: one live line per job, redrawn in place.
 */
import type { ApplyEvent, Outcome } from '../apply/apply-plan.js';
import { addressLabel } from './address-label.js';
import { DEFAULT_TARGET_NAME } from '../config/target.js';
import type { Address } from '../plan/model.js';
import { ANSI, type Palette } from './palette.js';
import type { WatchEvent } from '../watch/watch-job.js';

/** What a transition says about its job, in a few words. */
export function describeWatch(event: WatchEvent): string {
  switch (event.type) {
    case 'evaluation':
      return `evaluation ${event.status}`;
    case 'deployment': {
      const groups = event.groups
        .map(
          (g) =>
            `${g.group} ${g.healthy}/${g.desired} healthy${event.status === 'running' && g.placed > g.healthy ? `, ${g.placed} placed` : ''}${g.unhealthy ? `, ${g.unhealthy} unhealthy` : ''}${g.desiredCanaries ? `, canaries ${g.canaries}/${g.desiredCanaries}${g.promoted ? ' promoted' : ''}` : ''}`,
        )
        .join('; ');
      return `deployment ${event.deploymentId.slice(0, 8)} ${event.status}: ${groups}${event.description && event.status !== 'running' ? ` (${event.description})` : ''}`;
    }
    case 'allocations':
      return `allocations: ${event.message}`;
    case 'promoting':
      return `promoting canaries of deployment ${event.deploymentId.slice(0, 8)}`;
    case 'reverting':
      return event.by === 'nomad'
        ? `Nomad is rolling back to version ${event.toVersion}`
        : `rolling back to version ${event.toVersion}`;
  }
}

const OUTCOME_WORD: Record<Outcome, string> = {
  succeeded: 'succeeded',
  failed: 'FAILED',
  'promotion-ready': 'ready for promotion',
  timeout: 'TIMED OUT',
  cancelled: 'cancelled',
  registered: 'registered (not watched)',
  unchanged: 'unchanged',
  'not-run': 'not run',
};

/** An object in progress lines; in a rollout over several clusters, with its cluster in front: "[prod-eu] web". */
function progressLabel(address: Address): string {
  return address.cluster === DEFAULT_TARGET_NAME
    ? addressLabel(address)
    : `[${address.cluster}] ${addressLabel(address)}`;
}

export function describeEvent(event: ApplyEvent): { job?: string; text: string } | undefined {
  switch (event.type) {
    case 'wave': {
      const cluster = event.changes[0]?.cluster;
      const where = cluster === undefined || cluster === DEFAULT_TARGET_NAME ? '' : `[${cluster}] `;
      return { text: `${where}wave ${event.wave + 1}: ${event.changes.map(addressLabel).join(', ')}` };
    }
    case 'registered':
      return {
        job: progressLabel(event.address),
        text: `registered${event.evalId ? ` (evaluation ${event.evalId.slice(0, 8)})` : ''}`,
      };
    case 'deleting':
      return { job: progressLabel(event.address), text: event.purge ? 'purging' : 'stopping' };
    case 'watch':
      return { job: progressLabel(event.address), text: describeWatch(event.event) };
    case 'finished':
      if (event.result.outcome === 'unchanged') return undefined;
      return {
        job: progressLabel(event.result.address),
        text: `${OUTCOME_WORD[event.result.outcome]}: ${event.result.message}`,
      };
  }
}

function timestamped(described: { job?: string; text: string }, now: Date): string {
  return `${now.toISOString().replace(/\.\d+Z$/, 'Z')} ${described.job ? `${described.job}: ` : ''}${described.text}`;
}

/**
 * CI and pipes: a timestamped line per transition. A line that would say what its job's previous line said is
 * dropped (Nomad changes fields these lines do not show, such as a running deployment's description).
 */
export class TransitionLines {
  private readonly lastText = new Map<string, string>();

  line(event: ApplyEvent, now: Date): string | undefined {
    const described = describeEvent(event);
    if (!described) return undefined;
    if (described.job) {
      if (this.lastText.get(described.job) === described.text) return undefined;
      this.lastText.set(described.job, described.text);
    }
    return timestamped(described, now);
  }
}

/** A terminal: the block of live lines (one per job), redrawn over the previous block. */
export class LiveLines {
  private readonly lines = new Map<string, { text: string; since: number; done: boolean }>();
  private drawn = 0;

  constructor(
    private readonly now: () => number,
    private readonly paint: Palette = ANSI,
  ) {}

  update(event: ApplyEvent): string | undefined {
    const described = describeEvent(event);
    if (!described?.job) return undefined;
    const previous = this.lines.get(described.job);
    this.lines.set(described.job, {
      text: described.text,
      since: previous?.since ?? this.now(),
      done: event.type === 'finished',
    });
    return this.redraw();
  }

  redraw(): string {
    const up = this.drawn > 0 ? `\u001b[${this.drawn}A` : '';
    const body = [...this.lines.entries()].map(([job, line]) => {
      const seconds = Math.round((this.now() - line.since) / 1000);
      const hue = line.done ? (/FAILED|TIMED OUT/.test(line.text) ? 'red' : 'green') : 'cyan';
      return `\u001b[2K${this.paint.bold(job)}  ${this.paint.hue(hue)(line.text)}${line.done ? '' : this.paint.hue('gray')(`  ${seconds}s`)}`;
    });
    this.drawn = body.length;
    return `${up}${body.join('\n')}\n`;
  }
}
