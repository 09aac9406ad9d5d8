/**
 * Where a job holds values that look secret, by drover's masking patterns (docs/masking.md): a key of env, meta
 * or a task's config (or a deeper key) that matches, a template line `KEY=value` under such a key, a variable
 * whose name matches. Import writes them as they are and says which files hold them.
 */
import { isSensitiveKey, maskLines } from '../util/secret-lines.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const USER_DATA = new Set([
  'Env',
  'Meta',
  'Config',
  'GetterOptions',
  'GetterHeaders',
  'Header',
  'CanaryMeta',
]);

/** The secret-looking places of a job, as paths ("TaskGroups[web].Tasks[app].Env[DB_PASSWORD]"). */
export function secretFields(job: Obj, patterns: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, inUserData: boolean) => {
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        walk(item, `${path}[${isObj(item) && typeof item.Name === 'string' ? item.Name : i}]`, inUserData),
      );
      return;
    }
    if (!isObj(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      const here = inUserData ? `${path}[${key}]` : `${path}${path ? '.' : ''}${key}`;
      if (inUserData && isSensitiveKey(key, patterns) && inner !== null && inner !== '') found.push(here);
      else if (key === 'EmbeddedTmpl' && typeof inner === 'string') {
        const secrets = new Set<string>();
        maskLines(inner, patterns, secrets);
        if (secrets.size > 0) found.push(here);
      } else walk(inner, here, inUserData || USER_DATA.has(key));
    }
  };
  walk(job, '', false);
  return found;
}

/** Variable values given to a submission whose names look secret, or var-file lines that do. */
export function secretVariables(
  flags: Readonly<Record<string, string>>,
  varFileText: string,
  patterns: readonly string[],
): string[] {
  const names = Object.keys(flags).filter((name) => isSensitiveKey(name, patterns));
  const lines = new Set<string>();
  maskLines(varFileText, patterns, lines);
  return [...names.map((n) => `var.${n}`), ...(lines.size > 0 ? ['var file'] : [])];
}
