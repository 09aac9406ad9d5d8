/**
 * Jobs form a graph from `depends_on`; apply runs them in waves (a job runs after everything it depends on).
 * Pre-deploy batch jobs (meta drover.phase = "pre") form the first waves. A cycle is an error naming it.
 */
import { UserError } from '../errors.js';
import type { Job } from '../nomad/types.js';

export interface OrderNode {
  readonly key: string;
  readonly dependsOn: readonly string[];
  readonly preDeploy: boolean;
}

/** Wave number per key. Dependencies on jobs outside the set are ignored (they are not part of this run). */
export function assignWaves(nodes: readonly OrderNode[]): Map<string, number> {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const wave = new Map<string, number>();
  const visiting: string[] = [];
  const visit = (key: string): number => {
    const known = wave.get(key);
    if (known !== undefined) return known;
    const cycleStart = visiting.indexOf(key);
    if (cycleStart >= 0)
      throw new UserError(`dependency cycle: ${[...visiting.slice(cycleStart), key].join(' → ')}`, {
        code: 'dependency_cycle',
        hint: 'Remove one of these depends_on entries (in drover.hcl or the jobs\' meta "drover.depends_on").',
      });
    const node = byKey.get(key)!;
    visiting.push(key);
    const deps = node.dependsOn.filter((d) => byKey.has(d));
    const after = Math.max(-1, ...deps.map(visit));
    visiting.pop();
    // Pre-deploy jobs come before every regular job that does not itself come before them.
    const own = after + 1;
    wave.set(key, own);
    return own;
  };
  for (const node of nodes) visit(node.key);
  const pre = nodes.filter((n) => n.preDeploy);
  if (pre.length === 0) return wave;
  // Shift regular jobs after the last pre-deploy wave.
  const lastPre = Math.max(...pre.map((n) => wave.get(n.key)!));
  for (const node of nodes) if (!node.preDeploy) wave.set(node.key, wave.get(node.key)! + lastPre + 1);
  return wave;
}

/** A desired job's place in the order: drover.hcl's depends_on for it, then its meta's; pre-deploy as its meta says. */
export function orderNodeOf(
  job: Pick<Job, 'ID' | 'Type' | 'Meta'>,
  dependsOn: readonly string[] = [],
): OrderNode {
  return {
    key: String(job.ID),
    dependsOn: [...new Set([...dependsOn, ...metaDependencies(job)])],
    preDeploy: isPreDeploy(job),
  };
}

/** A pre-deploy job: a batch job with meta drover.phase = "pre" (migrations), run before every other wave. */
export function isPreDeploy(job: Pick<Job, 'Type' | 'Meta'>): boolean {
  return job.Type === 'batch' && job.Meta?.['drover.phase'] === 'pre';
}

/** A job's own dependencies: meta `drover.depends_on = "a,b"`. */
export function metaDependencies(job: { readonly Meta?: Readonly<Record<string, string>> | null }): string[] {
  return (job.Meta?.['drover.depends_on'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
