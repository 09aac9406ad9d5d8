/**
 * ACL policies, roles and Nomad Variables written by import and read back by drover's estate reader give the
 * objects Nomad holds: rules byte for byte, items with their names and (from the --with-values file) their values.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { estateFiles, VALUES_FILE, type EstateObjects } from '../../../src/import/estate-files.js';
import type { WrittenFile } from '../../../src/import/job-file.js';
import type { AclPolicy, AclRole } from '../../../src/nomad/endpoints/acl.js';
import type { Variable } from '../../../src/nomad/endpoints/variables.js';
import { readEstate } from '../../../src/source/estate.js';
import { formatHcl } from '../../../src/source/hcl/format.js';
import { readProjectDocument } from '../../../src/source/project-file.js';

const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const policy = (Name: string, Rules: string, extra: Partial<AclPolicy> = {}): AclPolicy => ({
  Name,
  Description: '',
  Rules,
  RulesJSON: null,
  JobACL: null,
  Hash: '',
  CreateIndex: 1,
  ModifyIndex: 1,
  ...extra,
});

const role = (Name: string, policies: string[], Description = ''): AclRole => ({
  ID: `id-${Name}`,
  Name,
  Description,
  Policies: policies.map((p) => ({ Name: p })),
  Hash: '',
  CreateIndex: 1,
  ModifyIndex: 1,
});

const variable = (Namespace: string, Path: string, Items: Record<string, string>): Variable => ({
  Namespace,
  Path,
  Items,
  CreateIndex: 1,
  ModifyIndex: 1,
  CreateTime: 0,
  ModifyTime: 0,
});

/** The blocks in a drover.hcl (formatted as import formats it) with their files, read back as plan reads it. */
function readBack(objects: EstateObjects, withValues: boolean, taken: ReadonlySet<string> = new Set()) {
  const written = estateFiles(objects, taken, withValues);
  const dir = mkdtempSync(join(tmpdir(), 'drover-import-estate-'));
  made.push(dir);
  const text = `stack = "s"\n\n${written.blocks.join('\n\n')}\n`;
  const formatted = formatHcl(text, 'drover.hcl').text ?? text;
  const files: WrittenFile[] = [
    ...written.files,
    ...(written.valuesFile ? [written.valuesFile] : []),
    { path: 'drover.hcl', text: formatted },
  ];
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.text);
  }
  const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
  const estate = readEstate(document, {
    cwd: dir,
    namespace: 'default',
    values: () => ({
      varFiles: written.valuesFile ? [{ path: VALUES_FILE, content: written.valuesFile.text }] : [],
    }),
  });
  return { written, estate, drover: formatted };
}

describe('import: ACL policies, roles and variables read back as Nomad holds them', () => {
  it('writes every policy so that its rules read back byte for byte', () => {
    const rules = [
      'namespace "default" {\n  policy = "read"\n}\n',
      'node { policy = "read" }',
      'agent {\n  policy = "read"\n}',
      'namespace "a" {\r\n  policy = "write"\r\n}\r\n',
      '# ${not} %{an} interpolation\nnamespace "x" { policy = "read" }\n',
      'EOT\nEOF\nnamespace "x" { policy = "read" }\n',
      '',
      '\tnamespace "tabbed" { policy = "read" }\n\n',
    ];
    const policies = rules.map((text, i) =>
      policy(`p${i}`, text, {
        Description: i === 1 ? 'Nodes "read" ${x}' : '',
        JobACL: i === 2 ? { Namespace: 'shop', JobID: 'api', Group: 'web', Task: '' } : null,
      }),
    );
    const { estate, written, drover } = readBack({ policies, roles: [], variables: [] }, false);
    expect(estate.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(estate.aclPolicies.map((p) => p.spec.Rules)).toEqual(rules);
    expect(estate.aclPolicies[1]!.spec.Description).toBe('Nodes "read" ${x}');
    expect(estate.aclPolicies[2]!.spec.JobACL).toEqual({
      Namespace: 'shop',
      JobID: 'api',
      Group: 'web',
      Task: '',
    });
    // A heredoc where one holds the text; a file for text without a final newline or with carriage returns.
    expect(drover).toContain('acl_policy "p0" {\n  rules = <<EOT\nnamespace "default" {\n');
    expect(written.files.map((f) => f.path)).toEqual(['policies/p2.policy.hcl', 'policies/p3.policy.hcl']);
  });

  it('names a policy whose rules drover would refuse (a capability newer than drover, say): its plan would stop', () => {
    const { written } = readBack(
      {
        policies: [policy('future', 'namespace "x" {\n  policy = "telepathy"\n}\n')],
        roles: [],
        variables: [],
      },
      false,
    );
    expect(written.differing).toHaveLength(1);
    expect(written.differing[0]).toMatch(
      /^acl_policy "future": drover reads its rules as rules Nomad refuses \(line 2: .+\), so a plan of the project stops there until they are corrected$/,
    );
  });

  it('writes each role with the policies it links, leaving out (and naming) a link to a policy Nomad lost', () => {
    const { estate, written } = readBack(
      {
        policies: [policy('deploy', 'namespace "*" { policy = "write" }\n')],
        roles: [
          { role: role('ci', ['deploy'], 'CI pipelines'), missing: [] },
          { role: role('half', ['deploy', 'gone']), missing: ['gone'] },
          { role: role('orphan', ['gone']), missing: ['gone'] },
        ],
        variables: [],
      },
      false,
    );
    expect(estate.aclRoles.map((r) => [r.spec.Name, r.spec.Description, r.spec.Policies])).toEqual([
      ['ci', 'CI pipelines', [{ Name: 'deploy' }]],
      ['half', undefined, [{ Name: 'deploy' }]],
    ]);
    expect(written.roles).toEqual(['ci', 'half']);
    expect(written.differing).toEqual([
      'acl_role "half": links "gone", which Nomad no longer holds; left out (a plan unlinks them)',
      'acl_role "orphan": not written, every policy it links ("gone") is gone from Nomad',
    ]);
  });

  const variables = [
    variable('default', 'nomad/jobs/api', { db_password: 'p@ss "w" ${x} %{y}\n', 'log-level': 'debug' }),
    variable('payments', 'nomad/jobs/api', { db_password: 'другой\u0000\t' }),
    variable('payments', 'app/config', { 'with space': '', 'a.b': 'x' }),
  ];

  it('reads back each variable with its item names and, from the values file, its values', () => {
    const { estate, written, drover } = readBack(
      { policies: [], roles: [], variables },
      true,
      new Set(['nomad_jobs_api_db_password']),
    );
    expect(estate.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(estate.variables.map((v) => v.spec)).toEqual(
      variables.map((v) => ({ Path: v.Path, Namespace: v.Namespace, Items: v.Items })),
    );
    // A job file's input of the same name is not shared by accident.
    expect(written.inputs.map((i) => i.name)).toEqual([
      'nomad_jobs_api_db_password_2',
      'nomad_jobs_api_log_level',
      'payments_nomad_jobs_api_db_password',
      'payments_app_config_a_b',
      'payments_app_config_with_space',
    ]);
    for (const item of Object.values(variables)
      .flatMap((v) => Object.values(v.Items!))
      .filter(Boolean))
      expect(drover).not.toContain(item);
  });

  it('without --with-values writes no values: the plan refuses, naming each item whose value is missing', () => {
    const { estate, written } = readBack({ policies: [], roles: [], variables }, false);
    expect(written.valuesFile).toBeUndefined();
    expect(estate.variables).toEqual([]);
    const unset = estate.diagnostics.filter((d) => d.summary.startsWith('Unset variable'));
    expect(unset).toHaveLength(5);
    expect(unset.find((d) => d.summary === 'Unset variable "payments_app_config_a_b"')!.detail).toBe(
      'It is the value of item "a.b" of nomad_variable "app/config": drover writes a variable\'s items whole, so it plans nothing until each value is given (it takes no value from Nomad, and deletes no item). Set it with --var payments_app_config_a_b=…, a --var-file, or NOMAD_VAR_payments_app_config_a_b.',
    );
  });
});
