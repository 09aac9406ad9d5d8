/** Plans and projects for the checks' unit tests: real job files read as drover reads them, checks from drover.hcl text. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MASK_PATTERNS } from '../../../src/config/project-settings.js';
import { jobAddress, type JobChange } from '../../../src/kinds/job/change.js';
import type { DesiredUpdates, Job } from '../../../src/nomad/types.js';
import type { Change, Plan, PlanDrift } from '../../../src/plan/model.js';
import { readEstate, type EstateDeclarations } from '../../../src/source/estate.js';
import { loadJob } from '../../../src/source/load-job.js';
import { readProjectDocument } from '../../../src/source/project-file.js';
import type { ProjectChecks } from '../../../src/checks/evaluate-checks.js';

/** A job read from HCL: one group "web", one docker task "server" with this image, memory and services. */
export function jobOf(
  id: string,
  options: {
    image?: string;
    memory?: number;
    namespace?: string;
    shutdownDelay?: string;
    service?: boolean;
    env?: string;
  } = {},
): Job {
  const source = `job "${id}" {
  namespace = "${options.namespace ?? 'default'}"
  group "web" {
    task "server" {
      driver = "docker"
      config { image = "${options.image ?? 'nginx:1.27'}" }
      ${options.shutdownDelay ? `shutdown_delay = "${options.shutdownDelay}"` : ''}
      ${options.env ? `env { ${options.env} }` : ''}
      resources { memory = ${options.memory ?? 256} }
      ${
        options.service
          ? `service {
        name     = "${id}-http"
        provider = "nomad"
      }`
          : ''
      }
    }
  }
}`;
  const loaded = loadJob(`${id}.nomad.hcl`, source);
  if (!loaded.job) throw new Error(loaded.diagnostics.map((d) => d.summary).join('\n'));
  return loaded.job as Job;
}

const NO_UPDATES: DesiredUpdates = {
  Ignore: 0,
  Place: 0,
  Migrate: 0,
  Stop: 0,
  InPlaceUpdate: 0,
  DestructiveUpdate: 0,
  Canary: 0,
  Preemptions: 0,
};

export function registration(
  job: Job,
  action: 'create' | 'update' | 'noop' = 'update',
  updates: Partial<DesiredUpdates> = {},
): JobChange {
  return {
    kind: 'job',
    action,
    address: jobAddress('default', String(job.Namespace ?? 'default'), String(job.ID)),
    wave: 0,
    jobModifyIndex: action === 'create' ? 0 : 7,
    notes: [],
    job,
    annotations: { web: { ...NO_UPDATES, ...updates } },
    ignoredFields: 0,
    computedLocally: false,
  };
}

export function deletion(id: string, namespace = 'default'): JobChange {
  return {
    kind: 'job',
    action: 'delete',
    address: jobAddress('default', namespace, id),
    wave: 1,
    jobModifyIndex: 9,
    notes: [],
  };
}

export function planOf(changes: Change[], extra: { drift?: PlanDrift[]; stack?: string } = {}): Plan {
  return {
    settings: {
      cluster: 'default',
      address: 'http://127.0.0.1:4646',
      namespace: 'default',
      ...(extra.stack ? { stack: extra.stack } : {}),
      stampKey: 'drover.stack',
      prune: false,
      preserveCounts: false,
      targets: [],
      maskPatterns: DEFAULT_MASK_PATTERNS,
    },
    changes,
    createdAt: '2026-12-10T09:00:00.000Z',
    ...(extra.drift ? { drift: extra.drift } : {}),
  };
}

/** A project whose drover.hcl is `text` (and these other files), read as plan reads it. */
export function projectOf(text: string, files: Record<string, string> = {}): EstateDeclarations {
  const dir = mkdtempSync(join(tmpdir(), 'drover-checks-'));
  try {
    writeFileSync(join(dir, 'drover.hcl'), text);
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
    return readEstate(document, { cwd: dir, namespace: 'default', values: () => ({}) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function checksOf(text: string): ProjectChecks {
  const estate = projectOf(text);
  const errors = estate.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.summary}: ${d.detail}`).join('\n'));
  return { checks: estate.checks, scope: estate.checkScope, sources: estate.sources };
}
