import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadJobFiles } from '../../../src/actions/load-jobs.js';
import type { Job } from '../../../src/nomad/types.js';

const WEB = `variable "image" {\n  type = string\n}\n\njob "web" {\n  group "web" {\n    task "server" {\n      driver = "docker"\n      config {\n        image = var.image\n      }\n    }\n  }\n}\n`;
const MIGRATE = `job "migrate" {\n  type = "batch"\n  group "m" {\n    task "m" {\n      driver = "docker"\n      config {\n        image = "example/migrate:1"\n      }\n    }\n  }\n}\n`;

function directory(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'drover-vars-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('--var and --var-file shared by several job files', () => {
  it('gives each file the values it declares and keeps the others out of its submission', () => {
    const dir = directory({
      'web.nomad.hcl': WEB,
      'migrate.nomad.hcl': MIGRATE,
      'prod.vars.hcl': 'image = "example/web:2"\n',
    });
    const loaded = loadJobFiles({
      paths: [dir],
      cwd: dir,
      vars: ['image=example/web:3'],
      varFiles: ['prod.vars.hcl'],
    });
    const byId = new Map(loaded.map((l) => [String(l.job?.ID), l]));
    expect(loaded.flatMap((l) => l.diagnostics)).toEqual([]);
    expect((byId.get('web')!.job as Job).TaskGroups![0]!.Tasks![0]!.Config).toEqual({
      image: 'example/web:3',
    });
    expect(byId.get('web')!.submission!.VariableFlags).toEqual({ image: 'example/web:3' });
    expect(byId.get('migrate')!.submission!.VariableFlags).toEqual({});
  });

  it('refuses a --var that no file declares, naming it and the fix', () => {
    const dir = directory({ 'web.nomad.hcl': WEB, 'migrate.nomad.hcl': MIGRATE });
    expect(() => loadJobFiles({ paths: [dir], cwd: dir, vars: ['image=x', 'imgae=y'] })).toThrow(
      '--var imgae=… was given, but none of the 2 job files declares it',
    );
  });

  it('refuses a var-file name that no file declares, at its line: a typo would leave the default in place', () => {
    const dir = directory({
      'web.nomad.hcl': WEB,
      'migrate.nomad.hcl': MIGRATE,
      'prod.vars.hcl': 'image = "example/web:2"\nimgae = "example/web:3"\n',
    });
    expect(() => loadJobFiles({ paths: [dir], cwd: dir, varFiles: ['prod.vars.hcl'] })).toThrow(
      'prod.vars.hcl:2:9: "imgae" is set, but none of the 2 job files declares it',
    );
  });

  it('holds a single file to Nomad’s rule: an undeclared --var is an error at its flag', () => {
    const dir = directory({ 'migrate.nomad.hcl': MIGRATE });
    const [only] = loadJobFiles({ paths: [dir], cwd: dir, vars: ['image=x'] });
    expect(only!.job).toBeUndefined();
    expect(only!.diagnostics.map((d) => d.summary)).toEqual(['Undefined -var variable "image"']);
  });
});
