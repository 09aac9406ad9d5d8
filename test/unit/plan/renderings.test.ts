import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { compactPlan, type Plan } from '../../../src/plan/model.js';
import { planForDisplay } from '../../../src/plan/mask.js';
import type { UserError } from '../../../src/errors.js';
import { parsePlanFile, serializePlan } from '../../../src/plan/plan-file.js';
import { renderPlanHuman } from '../../../src/render/plan-human.js';
import { renderPlanJson } from '../../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown.js';
import { registration } from '../../support/plan-changes.js';
import { deployed, planWith } from '../../support/plan-env.js';
import {
  runFor,
  serviceJob,
  startSimulatedNomad,
  type SimulatedNomad,
} from '../../support/simulated-nomad.js';

const ESC = '\u001b';
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../schema/plan.schema.json'), 'utf8'),
);

/** web changes image and a secret env value and its template; legacy is adopted; old is pruned; db is new. */
async function representativePlan(env: SimulatedNomad): Promise<Plan> {
  const web = (image: string, password: string, level: string) =>
    serviceJob(
      'web',
      {},
      {
        Tasks: [
          {
            Name: 'app',
            Driver: 'docker',
            Config: { image },
            Env: { DB_PASSWORD: password, MODE: 'prod' },
            Templates: [
              {
                DestPath: 'local/app.env',
                EmbeddedTmpl: `API_TOKEN=abc123\nLOG_LEVEL=${level}\nWORKERS=4\n`,
              },
            ],
          },
        ],
      },
    );
  await deployed(env, [web('example/app:1.0', 'hunter2', 'info'), serviceJob('old')]);
  await deployed(env, [serviceJob('legacy')], '');
  runFor(env.sim, 20_000);
  return planWith(
    env,
    [
      { job: web('example/app:2.0', 'correct-horse', 'debug'), file: 'jobs/web.nomad.hcl' },
      { job: serviceJob('legacy'), file: 'jobs/legacy.nomad.hcl' },
      { job: serviceJob('db', {}, { Count: 1 }), file: 'jobs/db.nomad.hcl', dependsOn: [] },
    ],
    { prune: true },
  );
}

describe('plan renderings', () => {
  let env: SimulatedNomad;
  let plan: Plan;
  beforeAll(async () => {
    env = await startSimulatedNomad({}, { token: 'nomad-acl-secret-0000' });
    plan = await representativePlan(env);
  });
  afterAll(() => env.close());

  it('renders for people: Terraform-like, secrets masked, multi-line values as line diffs (--compact)', () => {
    expect(
      renderPlanHuman(planForDisplay(compactPlan(plan), { showSensitive: false }), { color: false }),
    ).toBe(
      [
        'drover plan (stack shop, namespace default, http://nomad.test:4646)',
        '',
        '  # db will be created  [wave 1]',
        '  + job "db"  jobs/db.nomad.hcl',
        '      + group "web": count 1, tasks app  (1 to place)',
        '',
        '  # legacy will be adopted by this stack  [wave 1]',
        '  ≈ job "legacy"  jobs/legacy.nomad.hcl',
        '',
        '  # web will be updated  [wave 1]',
        '  ~ job "web"  jobs/web.nomad.hcl',
        '      ~ group "web"  (1 destructive update, 1 unchanged)',
        '          ~ task "app"  (forces create/destroy update)',
        '              ~ Env[DB_PASSWORD]: "(sensitive)" → "(sensitive)"',
        '              ~ Config {',
        '                  ~ image: "example/app:1.0" → "example/app:2.0"',
        '                }',
        '              ~ Template {',
        '                  ~ EmbeddedTmpl:',
        '                      @@ -1,3 +1,3 @@',
        '                       API_TOKEN=(sensitive)',
        '                      -LOG_LEVEL=info',
        '                      +LOG_LEVEL=debug',
        '                       WORKERS=4',
        '                }',
        '',
        '  # old will be deleted  [wave 2]',
        '  - job "old"',
        '',
        'Warnings:',
        '  ! legacy: drover takes this job over by adding meta "drover.stack" = "shop"; Nomad replaces its allocations for a meta change.',
        '',
        'Plan: 1 to create, 1 to update, 1 to adopt, 1 to delete. (1 field that Nomad or drover sets not shown.)',
      ].join('\n'),
    );
  });

  describe('a new job in full', () => {
    let created: Plan;
    beforeAll(async () => {
      created = await planWith(env, [
        {
          job: serviceJob(
            'api',
            {},
            {
              Tasks: [
                {
                  Name: 'app',
                  Driver: 'docker',
                  Config: { image: 'example/api:1' },
                  Env: { DB_PASSWORD: 'hunter2' },
                },
              ],
            },
          ),
          file: 'jobs/api.nomad.hcl',
        },
      ]);
    });

    it('shows every field Nomad plans for it as added, as nomad job plan -verbose does, secrets masked', () => {
      const text = renderPlanHuman(planForDisplay(created, { showSensitive: false }), { color: false });
      const lines = text.split('\n');
      expect(lines.slice(0, 8)).toEqual([
        'drover plan (stack shop, namespace default, http://nomad.test:4646)',
        '',
        '  # api will be created  [wave 1]',
        '  + job "api"  jobs/api.nomad.hcl',
        '      + AllAtOnce: "false"',
        '      + Dispatched: "false"',
        '      + Name: "api"',
        '      + Namespace: "default"',
      ]);
      for (const line of [
        '      + group "web"  (2 to place)',
        '          + Count: "2"  (forces create)',
        '          + RestartPolicy {',
        '          + task "app"  (forces create)',
        '              + Driver: "docker"',
        '              + Env[DB_PASSWORD]: "(sensitive)"',
        '              + Config {',
        '                  + image: "example/api:1"',
      ])
        expect(lines).toContain(line);
      expect(text).not.toContain('hunter2');
      // drover's stamp is its own business, here as in every diff.
      expect(text).not.toContain('drover.stack');
      expect(text).toMatch(/\nPlan: 1 to create, 0 to update, 0 to delete\.$/);
      expect(
        renderPlanHuman(planForDisplay(compactPlan(created), { showSensitive: false }), { color: false }),
      ).toContain(
        '  + job "api"  jobs/api.nomad.hcl\n      + group "web": count 2, tasks app  (2 to place)\n',
      );
    });

    it("carries the spec in JSON as Nomad's Added diff, masked; --compact leaves it out", () => {
      const document = renderPlanJson(planForDisplay(created, { showSensitive: false }), {
        droverVersion: '0.1.0',
      }) as {
        changes: Array<{ diff: { Type: string; TaskGroups: Array<{ Type: string }> } | null }>;
      };
      expect(document.changes[0]!.diff).toMatchObject({ Type: 'Added', TaskGroups: [{ Type: 'Added' }] });
      expect(JSON.stringify(document)).toContain('"Name":"Env[DB_PASSWORD]","Old":"","New":"(sensitive)"');
      expect(JSON.stringify(document)).not.toContain('hunter2');
      const compact = renderPlanJson(planForDisplay(compactPlan(created), { showSensitive: false }), {
        droverVersion: '0.1.0',
      }) as { changes: Array<{ diff: unknown }> };
      expect(compact.changes[0]!.diff).toBeNull();
    });

    it('folds a new job to its groups in Markdown when its full spec would pass the comment limit', () => {
      const shown = planForDisplay(created, { showSensitive: false });
      const full = renderPlanMarkdown(shown);
      expect(full).toMatch(/\n\+ +Env\[DB_PASSWORD\]: "\(sensitive\)"\n/);
      expect(full).not.toContain('full spec is left out');
      const limit = full.length - 200;
      const folded = renderPlanMarkdown(shown, { limit });
      expect(folded.length).toBeLessThanOrEqual(limit);
      expect(folded).toContain('+     group "web": count 2, tasks app  (2 to place)');
      expect(folded).toContain(
        "_Its full spec is left out to keep this comment within GitHub's limit: `drover plan` shows it._",
      );
      expect(folded).not.toContain('not shown: the comment would pass');
    });
  });

  it('shows secrets with --show-sensitive, and colours only when asked', () => {
    const shown = renderPlanHuman(planForDisplay(plan, { showSensitive: true }), { color: false });
    expect(shown).toContain('~ Env[DB_PASSWORD]: "hunter2" → "correct-horse"');
    expect(shown).toContain(' API_TOKEN=abc123');
    expect(renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: false })).not.toContain(
      ESC,
    );
    expect(renderPlanHuman(planForDisplay(plan, { showSensitive: false }), { color: true })).toContain(
      `${ESC}[32m  + job "db"`,
    );
  });

  it('says so when nothing changes', () => {
    const quiet: Plan = {
      ...plan,
      changes: plan.changes.flatMap((c) =>
        c.action === 'delete' ? [] : [{ ...registration(c), action: 'noop' as const }],
      ),
    };
    expect(
      renderPlanHuman(planForDisplay(quiet, { showSensitive: false }), { color: false })
        .split('\n')
        .at(-1),
    ).toBe('No changes. Nomad matches the job files.');
    expect(renderPlanMarkdown(planForDisplay(quiet, { showSensitive: false }))).toContain(
      '**No changes.** Nomad matches the job files.',
    );
  });

  it('renders versioned JSON that validates against the checked-in schema, secrets masked', () => {
    const document = renderPlanJson(planForDisplay(plan, { showSensitive: false }), {
      droverVersion: '0.1.0',
    }) as {
      summary: unknown;
      changes: Array<{ address: { name: string }; action: string; wave: number }>;
    };
    const validate = new Ajv2020({ allErrors: true, validateFormats: false }).compile(schema);
    const valid = validate(document);
    expect(validate.errors).toBeNull();
    expect(valid).toBe(true);
    expect(document.summary).toEqual({
      create: 1,
      update: 1,
      start: 0,
      adopt: 1,
      promote: 0,
      revert: 0,
      delete: 1,
      noop: 0,
      has_changes: true,
    });
    expect(
      document.changes.map(
        (c: { address: { name: string }; action: string; wave: number }) =>
          `${c.wave} ${c.action} ${c.address.name}`,
      ),
    ).toEqual(['1 create db', '1 adopt legacy', '1 update web', '2 delete old']);
    expect(JSON.stringify(document)).not.toContain('hunter2');
    expect(JSON.stringify(document)).not.toContain('abc123');
    expect(
      JSON.stringify(
        renderPlanJson(planForDisplay(plan, { showSensitive: true }), { droverVersion: '0.1.0' }),
      ),
    ).toContain('hunter2');
  });

  it('renders Markdown for a pull request: table, deletes and warnings first, one <details> per job', () => {
    const markdown = renderPlanMarkdown(planForDisplay(plan, { showSensitive: false }));
    expect(markdown.split('\n').slice(0, 13)).toEqual([
      '### drover plan',
      '',
      'Stack `shop`, namespace `default`.',
      '',
      '| create | update | start | adopt | delete | unchanged |',
      '|---:|---:|---:|---:|---:|---:|',
      '| 1 | 1 | 0 | 1 | 1 | 0 |',
      '',
      '> [!CAUTION]',
      '> This plan **deletes** `old`.',
      '',
      '> [!WARNING]',
      '> - `legacy`: drover takes this job over by adding meta "drover.stack" = "shop"; Nomad replaces its allocations for a meta change.',
    ]);
    expect(markdown.match(/<details><summary><code>/g)).toHaveLength(4);
    expect(markdown).toContain(
      '<details><summary>Rollout order</summary>\n\n```mermaid\nflowchart LR\n  subgraph wave_1["wave 1"]\n',
    );
    expect(markdown).toContain(
      '<details><summary><code>update</code> <b>web</b></summary>\n\n```diff\n# web will be updated  [wave 1]\n~ job "web"  jobs/web.nomad.hcl\n~     group "web"',
    );
    expect(markdown).not.toContain('hunter2');
    expect(markdown).toMatch(/<\/details>\n\nPlan: [^\n]+\n$/);
  });

  it('keeps Markdown under the comment limit, saying what it left out', () => {
    const markdown = renderPlanMarkdown(planForDisplay(plan, { showSensitive: false }), { limit: 1800 });
    expect(markdown.length).toBeLessThanOrEqual(1800);
    expect(markdown).toMatch(
      /_\d more jobs? not shown: the comment would pass GitHub's 1800-character limit\. Run `drover plan` for the full plan\._\n\nPlan: /,
    );
  });

  describe('saved plans', () => {
    it('round-trip with a checksum and never carry the Nomad token', () => {
      const text = serializePlan(plan, '0.1.0');
      expect(parsePlanFile(text, 'plan.json').plan).toEqual(plan);
      expect(text).not.toContain('nomad-acl-secret-0000');
      expect(Object.keys(plan.settings)).not.toContain('token');
    });

    it('are refused when modified or corrupt', () => {
      const text = serializePlan(plan, '0.1.0');
      expect(() => parsePlanFile(text.replace('"create"', '"delete"'), 'plan.json')).toThrow(
        'plan.json is not a usable plan: its checksum does not match: the file was changed after drover wrote it',
      );
      expect(() => parsePlanFile(text.slice(0, 200), 'plan.json')).toThrow(
        /plan.json is not a usable plan: it is not valid JSON/,
      );
    });

    it('are told from other files, the file named', () => {
      const refusal = (text: string, path: string) => {
        try {
          parsePlanFile(text, path);
        } catch (error) {
          return { message: (error as UserError).message, hint: (error as UserError).hint };
        }
      };
      const hint = 'drover show and drover apply read a plan saved by drover plan --out FILE.';
      for (const text of ['{}', '[1]', 'null', '"drover-plan/2"'])
        expect(refusal(text, 'empty.json')).toEqual({
          message:
            'empty.json is not a drover plan: it has no "format", where a saved plan has "format": "drover-plan/2"',
          hint,
        });
      expect(refusal('{"format": "terraform"}', 'plan.json')).toEqual({
        message: 'plan.json is not a drover plan: its "format" is "terraform", not "drover-plan/2"',
        hint,
      });
    });

    it('keep the notes about the stack as typed values, worded when shown', () => {
      const noted: Plan = {
        ...plan,
        notes: [{ type: 'inventory-unreadable', stack: 'shop', path: 'drover/stacks/shop/inventory' }],
      };
      const loaded = parsePlanFile(serializePlan(noted, '0.1.0'), 'plan.json').plan;
      expect(loaded.notes).toEqual(noted.notes);
      expect(renderPlanHuman(planForDisplay(loaded, { showSensitive: false }), { color: false })).toContain(
        '  · the token may not read the inventory of stack "shop" (drover/stacks/shop/inventory): objects it lists are shown as adopted, none as pruned\n',
      );
    });

    it('made by a drover that wrote notes as text are refused, to plan again', () => {
      const old = serializePlan(
        { ...plan, notes: ['drift: web: stopped outside drover'] } as unknown as Plan,
        '0.0.9',
      );
      const refused = (() => {
        try {
          parsePlanFile(old, 'old.json');
        } catch (error) {
          return { message: (error as UserError).message, hint: (error as UserError).hint };
        }
      })();
      expect(refused).toEqual({
        message:
          "old.json is not a usable plan: it was saved by drover 0.0.9, which wrote the plan's notes as text",
        hint: 'Run drover plan --out again to make a new plan.',
      });
    });

    it('made by a drover that keyed changes on job IDs (format 1) are refused, to plan again', () => {
      expect(() => parsePlanFile('{"format": "drover-plan/1", "plan": {"changes": []}}', 'old.json')).toThrow(
        'old.json is not a usable plan: it was saved in format "drover-plan/1" by another version of drover, which reads "drover-plan/2"',
      );
    });
  });
});
