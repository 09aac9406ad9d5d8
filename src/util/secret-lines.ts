/**
 * What looks secret in text a person wrote: a key that contains a masking pattern ("DB_PASSWORD", "api_token"),
 * and the value on a `KEY=value`, `key: value` or `key = "value"` line under such a key. Shared by the plan's
 * masking and by diagnostics that echo a line of a file.
 */
export const SENSITIVE = '(sensitive)';

export function isSensitiveKey(key: string, patterns: readonly string[]): boolean {
  const lower = key.toLowerCase();
  return patterns.some((p) => p !== '' && lower.includes(p.toLowerCase()));
}

/** Template data or a variable file: the value of each `KEY=value`, `key: value` or `key = "v"` line whose key is sensitive. */
export function maskLines(text: string, patterns: readonly string[], found?: Set<string>): string {
  return text
    .split('\n')
    .map((line) => {
      const match = /^(\s*(?:export\s+)?)([A-Za-z0-9_.-]+)(\s*[=:]\s*)(.+)$/.exec(line);
      if (!match || !isSensitiveKey(match[2]!, patterns)) return line;
      found?.add(unquote(match[4]!.trim()));
      return `${match[1]}${match[2]}${match[3]}${SENSITIVE}`;
    })
    .join('\n');
}

const unquote = (text: string) => /^"(.*)"$/.exec(text)?.[1] ?? /^'(.*)'$/.exec(text)?.[1] ?? text;
