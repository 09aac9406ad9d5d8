import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadOptions } from '../../src/source/load-job.js';

export const JOB_FIXTURES = join(import.meta.dirname, '../fixtures/jobs');

export interface JobFixture {
  readonly name: string;
  readonly path: string;
  readonly source: string;
  /** `nomad job run -output` of this file, recorded from a Nomad built at aa026cc9 (2.0.6-dev). */
  readonly expected: string;
  readonly options: LoadOptions;
}

/** Every fixture job file, with the variable inputs its .inputs.json sidecar gives (as nomad was run). */
export function jobFixtures(): JobFixture[] {
  return readdirSync(JOB_FIXTURES)
    .filter((f) => /\.nomad\.(hcl|json)$/.test(f))
    .sort()
    .map((file) => {
      const name = file.replace(/\.nomad\.(hcl|json)$/, '');
      const inputsPath = join(JOB_FIXTURES, `${name}.inputs.json`);
      const inputs = existsSync(inputsPath)
        ? (JSON.parse(readFileSync(inputsPath, 'utf8')) as Record<string, unknown>)
        : {};
      const options: LoadOptions = {
        vars: (inputs.vars as LoadOptions['vars']) ?? [],
        varFiles: ((inputs.varFiles as string[] | undefined) ?? []).map((p) => ({
          path: join(JOB_FIXTURES, p),
          content: readFileSync(join(JOB_FIXTURES, p), 'utf8'),
        })),
        env: (inputs.env as Record<string, string>) ?? {},
      };
      return {
        name,
        path: join(JOB_FIXTURES, file),
        source: readFileSync(join(JOB_FIXTURES, file), 'utf8'),
        expected: readFileSync(join(JOB_FIXTURES, `${name}.expected.json`), 'utf8').trimEnd(),
        options,
      };
    });
}
