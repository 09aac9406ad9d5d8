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
