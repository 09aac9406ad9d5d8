import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as drover from '../../src/index.js';
import { ROOT, runCli, startSimulatorProcess } from '../support/cli.js';

const run = promisify(execFile);

/** The package's entry point (src/index.ts, shipped as dist/index.js for `import … from 'drover'`), as docs/library.md shows. */
describe('drover as a library', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
  });
  afterAll(() => sim.stop());

  it('plans examples/, renders the plan, applies it and destroys it without the CLI', async () => {
    const env = { NOMAD_ADDR: sim.address };
    const nomad = drover.connections();
    const handedOut = new Set<drover.NomadClient>();
    const connect: drover.Connect = (target) => {
      const given = nomad.connect(target);
      handedOut.add(given);
      return given;
    };
    const client = nomad.connect(drover.resolveTargets({ env })[0]);
    try {
      const { plan } = await drover.planJobs({ connect, paths: ['examples/'], cwd: ROOT, env });
      expect(drover.countByAction(plan)).toMatchObject({ create: 6, update: 0, delete: 0 });
      expect(
        drover.renderPlanHuman(drover.planForDisplay(plan, { showSensitive: false }), { color: false }),
      ).toContain('\nPlan: 6 to create, 0 to update, 0 to delete.');
      const graph = drover.rolloutGraph(drover.stepsOfPlan(plan), { namespace: 'default' });
      expect(drover.renderGraphMermaid(graph)).toContain('    job_api["api (create)"]:::create\n');
      expect(drover.renderGraphDot(graph)).toContain('  "job_redis" -> "job_api";\n');
      const offline = await drover.graphJobs({ paths: ['examples/'], cwd: ROOT, env: {} });
      expect(offline.graph.nodes.map((n) => n.name)).toEqual(plan.changes.map((c) => c.address.name));
      const finished: string[] = [];
      const result = await drover.applyPlan({
        client,
        plan,
        autoPromote: true,
        emit: (event) => {
          if (event.type === 'finished')
            finished.push(`${event.result.address.name}: ${event.result.outcome}`);
        },
      });
      expect(result.ok).toBe(true);
      expect(finished).toHaveLength(6);

      const destroy = await drover.planDestroy({ connect, cwd: ROOT, dir: join(ROOT, 'examples'), env });
      expect(destroy.changes.map((c) => `${c.action} ${c.address.name}`).sort()).toEqual(
        ['api', 'cleanup', 'migrate', 'node-exporter', 'redis', 'web'].map((id) => `delete ${id}`),
      );
      expect((await drover.applyPlan({ client, plan: destroy, purge: true })).ok).toBe(true);
      // The same settings (examples/drover.hcl names no namespace or region): the actions got this one client.
      expect([...handedOut]).toEqual([client]);
    } finally {
      await nomad.close();
    }
  }, 60_000);

  it('runs docs/library.md’s TypeScript examples as written, and they type-check against the published types', async () => {
    const page = readFileSync(join(ROOT, 'docs/library.md'), 'utf8');
    const examples = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples).toHaveLength(2);
    // Inside the package, so that `import … from 'drover'` resolves to the package itself (dist/, as shipped).
    const dir = join(ROOT, '.library-examples');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    try {
      const files = examples.map((code, i) => {
        const file = join(dir, `example-${i + 1}.ts`);
        writeFileSync(file, code);
        return file;
      });
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: '../tsconfig.json',
          compilerOptions: { types: ['node'] },
          include: ['*.ts'],
        }),
      );
      await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], {
        timeout: 30_000,
      }).catch((error: { stdout?: string }) => {
        throw new Error(`docs/library.md's TypeScript does not type-check:\n${error.stdout}`);
      });

      const env = { ...process.env, NODE_OPTIONS: '', NOMAD_ADDR: sim.address };
      const first = await run(process.execPath, ['--import', 'tsx', files[0]!], {
        cwd: ROOT,
        env,
        timeout: 20_000,
      });
      expect(first.stdout).toContain('Plan: 6 to create, 0 to update, 0 to delete.');
      expect(first.stdout).toContain('web succeeded');

      expect((await runCli(['apply', 'examples/', '--auto-approve'], { NOMAD_ADDR: sim.address })).code).toBe(
        0,
      );
      const second = await run(process.execPath, ['--import', 'tsx', files[1]!], {
        cwd: ROOT,
        env,
        timeout: 20_000,
      });
      expect(second.stdout).toMatch(
        /^web read at index \d+; a new meta key makes an Edited diff\ndeployment successful\n$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
