/** Job files and projects the real-agent suites apply. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A raw_exec service sleeping for an hour, with a 1s min_healthy_time; `env` becomes its env block. */
export function sleepingService(
  id: string,
  options: { namespace?: string; env?: Record<string, string> } = {},
): string {
  const namespace = options.namespace ? `  namespace = "${options.namespace}"\n` : '';
  const env = options.env
    ? `      env {\n${Object.entries(options.env)
        .map(([k, v]) => `        ${k} = "${v}"\n`)
        .join('')}      }\n`
    : '';
  return `job "${id}" {
${namespace}  group "g" {
    update {
      min_healthy_time = "1s"
    }
    task "t" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["3600"]
      }
${env}    }
  }
}
`;
}

/** A project directory of its own (a repository root, a drover.hcl naming the stack) with these files. */
export function stackProject(stack: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `drover-it-${stack}-`));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'drover.hcl'), `stack = "${stack}"\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const task = (command: string, args: string[] = []) => `    task "t" {
      driver = "raw_exec"
      config {
        command = "${command}"
        args    = [${args.map((a) => `"${a}"`).join(', ')}]
      }
      resources {
        cpu    = 20
        memory = 32
      }
    }
`;
const job = (id: string, head: string, group: string, command: string, args: string[] = []) =>
  `job "${id}" {\n${head}  group "g" {\n${group}${task(command, args)}  }\n}\n`;

/** One job of each kind drover applies, raw_exec and small, as the settle suite and the simulator's conformance use them. */
export const SETTLE_JOBS: Record<string, string> = {
  service: job(
    'web',
    '',
    '    count = 2\n    update {\n      min_healthy_time = "1s"\n    }\n',
    '/bin/sleep',
    ['3600'],
  ),
  batch: job('migrate', '  type = "batch"\n', '', '/bin/true'),
  system: job('agent', '  type = "system"\n', '', '/bin/sleep', ['3600']),
  sysbatch: job('sweep', '  type = "sysbatch"\n', '', '/bin/true'),
  periodic: job(
    'nightly',
    '  type = "batch"\n  periodic {\n    crons            = ["0 3 * * *"]\n    prohibit_overlap = true\n  }\n',
    '',
    '/bin/true',
  ),
  parameterized: job(
    'report',
    '  type = "batch"\n  parameterized {\n    meta_optional = ["day"]\n  }\n',
    '',
    '/bin/true',
  ),
  canary: job(
    'edge',
    '',
    '    update {\n      canary           = 1\n      min_healthy_time = "1s"\n      auto_promote     = true\n    }\n',
    '/bin/sleep',
    ['3600'],
  ),
};
