/**
 * Secrets in renderings: values under env, meta, task config and template data whose key matches a masking
 * pattern (token, secret, password, key, auth, … by default) are shown as (sensitive) unless --show-sensitive.
 */
export const SENSITIVE = '(sensitive)';

export function isSensitiveKey(key: string, patterns: readonly string[]): boolean {
  const lower = key.toLowerCase();
  return patterns.some((p) => lower.includes(p.toLowerCase()));
}

/** The last key of a flattened field name: `Env[DB_PASSWORD]` → DB_PASSWORD, `Config.auth.token` → token. */
function lastKey(name: string): string {
  const bracket = /\[([^\]]+)\]$/.exec(name);
  if (bracket && !/^\d+$/.test(bracket[1]!)) return bracket[1]!;
  const withoutIndex = name.replace(/\[\d+\]$/, '');
  return (
    withoutIndex
      .split(/[.[\]]/)
      .filter(Boolean)
      .pop() ?? name
  );
}

/** Masks a field value when its key (or a containing object, like a Config key) is sensitive. */
export function maskField(
  path: readonly string[],
  name: string,
  value: string,
  patterns: readonly string[],
): string {
  if (value === '') return value;
  if (/EmbeddedTmpl$/.test(name) || path.at(-1) === 'Template') return maskTemplate(value, patterns);
  const inMap = /^(Env|Meta|CanaryMeta)\[/.test(name) || path.some((p) => p === 'Config');
  return inMap && isSensitiveKey(lastKey(name), patterns) ? SENSITIVE : value;
}

/** Template data: the value of each `KEY=value` or `key: value` line whose key is sensitive. */
export function maskTemplate(text: string, patterns: readonly string[]): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^(\s*(?:export\s+)?)([A-Za-z0-9_.-]+)(\s*[=:]\s*)(.+)$/.exec(line);
      return match && isSensitiveKey(match[2]!, patterns)
        ? `${match[1]}${match[2]}${match[3]}${SENSITIVE}`
        : line;
    })
    .join('\n');
}
