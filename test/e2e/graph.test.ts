import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, startSimulatorProcess } from '../support/cli.js';

const job = (id: string, meta = '') =>
  `job "${id.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}" {\n${meta}  group "g" {\n    task "t" {\n      driver = "docker"\n      config {\n        image = "example/app:1"\n      }\n    }\n  }\n}\n`;

/** Nothing listens here: a command that asked Nomad anything would fail. */
const NO_NOMAD = { NOMAD_ADDR: 'http://127.0.0.1:9' };

const EXAMPLES_MERMAID = [
  'flowchart LR',
  '  subgraph wave_1["wave 1 (pre-deploy)"]',
  '    job_migrate["migrate"]',
  '  end',
  '  subgraph wave_2["wave 2"]',
  '    job_cleanup["cleanup"]',
  '    job_node_exporter["node-exporter"]',
  '    job_redis["redis"]',
  '  end',
  '  subgraph wave_3["wave 3"]',
  '    job_api["api"]',
  '  end',
  '  subgraph wave_4["wave 4"]',
  '    job_web["web"]',
  '  end',
  '  wave_1 -.-> wave_2',
  '  wave_2 -.-> wave_3',
  '  wave_3 -.-> wave_4',
  '  job_redis --> job_api',
  '  job_api --> job_web',
  '',
].join('\n');

describe('drover graph, offline', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'drover-graph-'));
    mkdirSync(join(dir, '.git'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("draws a project's waves and depends_on (drover.hcl's), with no Nomad to ask", async () => {
    const result = await runCli(['graph', 'examples'], NO_NOMAD);
    expect(result).toEqual({ code: 0, stdout: EXAMPLES_MERMAID, stderr: '' });
  });

  it('draws the same project in DOT with --format dot', async () => {
    const result = await runCli(['graph', 'examples', '--format', 'dot'], NO_NOMAD);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^digraph rollout \{\n {2}rankdir=LR;\n/);
    expect(result.stdout).toContain(
      '  subgraph "cluster_wave_1" {\n    label="wave 1 (pre-deploy)";\n    "job_migrate" [label="migrate"];\n  }\n',
    );
    expect(result.stdout).toContain('  "job_redis" -> "job_api";\n  "job_api" -> "job_web";\n}\n');
  });

  it("draws one file of a project with the project's variables, alone in its wave", async () => {
    const result = await runCli(['graph', 'examples/jobs/api.nomad.hcl'], NO_NOMAD);
    expect(result).toEqual({
      code: 0,
      stdout: 'flowchart LR\n  subgraph wave_1["wave 1"]\n    job_api["api"]\n  end\n',
      stderr: '',
    });
  });

  it('draws a directory without drover.hcl from the jobs’ meta drover.depends_on, hostile names escaped', async () => {
    const jobs = join(dir, 'plain');
    mkdirSync(jobs);
    writeFileSync(join(jobs, 'a.nomad.hcl'), job('api.v2'));
    writeFileSync(
      join(jobs, 'b.nomad.hcl'),
      job('api-v2', '  meta = {\n    "drover.depends_on" = "api.v2"\n  }\n'),
    );
    writeFileSync(
      join(jobs, 'c.nomad.hcl'),
      job('say"hi"<end>', '  meta = {\n    "drover.depends_on" = "api-v2"\n  }\n'),
    );
    const mermaid = await runCli(['graph', jobs], NO_NOMAD);
    expect(mermaid).toEqual({
      code: 0,
      stdout: [
        'flowchart LR',
        '  subgraph wave_1["wave 1"]',
        '    job_api_v2["api.v2"]',
        '  end',
        '  subgraph wave_2["wave 2"]',
        '    job_api_v2_2["api-v2"]',
        '  end',
        '  subgraph wave_3["wave 3"]',
        '    job_say_hi_end["say#34;hi#34;#60;end#62;"]',
        '  end',
        '  wave_1 -.-> wave_2',
        '  wave_2 -.-> wave_3',
        '  job_api_v2 --> job_api_v2_2',
        '  job_api_v2_2 --> job_say_hi_end',
        '',
      ].join('\n'),
      stderr: '',
    });
    const dot = await runCli(['graph', jobs, '--format', 'dot'], NO_NOMAD);
    expect(dot.stdout).toContain('    "job_say_hi_end" [label="say\\"hi\\"<end>"];\n');
  });

  it('refuses a format it does not know, naming those it does (exit 1)', async () => {
    const result = await runCli(['graph', 'examples', '--format', 'svg'], NO_NOMAD);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Expected --format=svg to be one of: mermaid, dot');
  });

  it('asks for --with-state with --prune: the deletes are known only to Nomad', async () => {
    const result = await runCli(['graph', 'examples', '--prune'], NO_NOMAD);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('All of the following must be provided when using --prune: --with-state');
  });

  it("notes, from a project with prune = true, that the stack's deletes are not drawn", async () => {
    const project = join(dir, 'pruned');
    cpSync(join(ROOT, 'examples'), project, { recursive: true });
    writeFileSync(
      join(project, 'drover.hcl'),
      'stack = "shop"\nprune = true\njobs = ["jobs/*.nomad.hcl"]\nvar_files = ["env/staging.vars.hcl"]\n',
    );
    const result = await runCli(['graph', project], NO_NOMAD);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      "Note: Prune is on: the stack's jobs that no file declares are deleted last, and only Nomad knows them; drover graph --with-state shows them.\n",
    );
  });

  it('refuses job files with errors, a depends_on naming no job and a cycle, as plan does', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'a.nomad.hcl'), 'job "a" {\n  group "g" {\n');
    const invalid = await runCli(['graph', broken], NO_NOMAD);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^Error: 1 job file has errors; nothing was sent to Nomad:\n/);
    expect(invalid.stderr).toContain(
      'Hint: Fix them (drover validate lists every error), then run drover graph again.',
    );
    const typo = join(dir, 'typo');
    mkdirSync(typo);
    writeFileSync(join(typo, 'drover.hcl'), 'job "b" {\n  depends_on = ["aa"]\n}\n');
    writeFileSync(join(typo, 'a.nomad.hcl'), job('a'));
    writeFileSync(join(typo, 'b.nomad.hcl'), job('b'));
    const unknown = await runCli(['graph', typo], NO_NOMAD);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      `drover.hcl's job "b" depends_on names "aa", which no job file declares`,
    );
    expect(unknown.stderr).toContain('Hint: Did you mean "a"?');
    writeFileSync(
      join(typo, 'drover.hcl'),
      'job "a" {\n  depends_on = ["b"]\n}\njob "b" {\n  depends_on = ["a"]\n}\n',
    );
    const cycle = await runCli(['graph', typo], NO_NOMAD);
    expect(cycle).toMatchObject({ code: 1, stdout: '' });
    expect(cycle.stderr).toMatch(/^Error: dependency cycle: (a → b → a|b → a → b)\n/);
  });
});

describe('drover graph --with-state', () => {
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let project: string;
  beforeAll(async () => {
    sim = await startSimulatorProcess(['--speed', '50']);
    project = mkdtempSync(join(tmpdir(), 'drover-graph-state-'));
    mkdirSync(join(project, '.git'));
    cpSync(join(ROOT, 'examples'), project, { recursive: true });
    expect((await runCli(['apply', project, '--auto-approve'], { NOMAD_ADDR: sim.address })).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await sim.stop();
    rmSync(project, { recursive: true, force: true });
  });

  it("draws each job's action and, with --prune, the stack's deletes last", async () => {
    rmSync(join(project, 'jobs/cleanup.nomad.hcl'));
    const vars = join(project, 'env/staging.vars.hcl');
    writeFileSync(vars, readFileSync(vars, 'utf8').replace(/log_level( *)= "info"/, 'log_level$1= "debug"'));
    const result = await runCli(['graph', project, '--with-state', '--prune'], { NOMAD_ADDR: sim.address });
    expect(result).toEqual({
      code: 0,
      stdout: [
        'flowchart LR',
        '  subgraph wave_1["wave 1 (pre-deploy)"]',
        '    job_migrate["migrate"]',
        '  end',
        '  subgraph wave_2["wave 2"]',
        '    job_node_exporter["node-exporter"]',
        '    job_redis["redis"]',
        '  end',
        '  subgraph wave_3["wave 3"]',
        '    job_api["api (update)"]:::update',
        '  end',
        '  subgraph wave_4["wave 4"]',
        '    job_web["web"]',
        '  end',
        '  subgraph wave_5["wave 5 (deletes)"]',
        '    job_cleanup["cleanup (delete)"]:::delete',
        '  end',
        '  wave_1 -.-> wave_2',
        '  wave_2 -.-> wave_3',
        '  wave_3 -.-> wave_4',
        '  wave_4 -.-> wave_5',
        '  job_redis --> job_api',
        '  job_api --> job_web',
        '  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328',
        '  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('is in the Markdown plan, fresh or saved, with only the jobs that change', async () => {
    const env = { NOMAD_ADDR: sim.address };
    const out = join(project, 'plan.json');
    const fresh = await runCli(['plan', project, '--prune', '--markdown', '--out', out], env);
    expect(fresh.code).toBe(0);
    const graph = [
      '<details><summary>Rollout order</summary>',
      '',
      '```mermaid',
      'flowchart LR',
      '  subgraph wave_3["wave 3"]',
      '    job_api["api (update)"]:::update',
      '  end',
      '  subgraph wave_5["wave 5 (deletes)"]',
      '    job_cleanup["cleanup (delete)"]:::delete',
      '  end',
      '  wave_3 -.-> wave_5',
      '  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328',
      '  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328',
      '```',
      '</details>',
    ].join('\n');
    expect(fresh.stdout).toContain(
      `> This plan **deletes** \`cleanup\`.\n\n${graph}\n\n<details><summary><code>update`,
    );
    const saved = await runCli(['show', out, '--markdown'], env);
    expect(saved).toEqual({ code: 0, stdout: fresh.stdout, stderr: '' });
  });

  it('fails as plan fails when Nomad cannot be reached', async () => {
    const result = await runCli(['graph', 'examples', '--with-state'], NO_NOMAD);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^Error: .*127\.0\.0\.1:9/);
  });
});
