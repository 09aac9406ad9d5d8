/**
 * Regular expressions as Nomad evaluates them: Go's regexp package (RE2 syntax, linear time), through re2js,
 * and Go's ReplaceAllString around it — its rules for empty matches and its Expand template ($1, ${1}, $name,
 * ${name}, $$), which JavaScript's String.replace does not share.
 */
import { createRequire } from 'node:module';
import type * as Re2js from 're2js';
import type { RE2JS } from 're2js';
import { codePointCount } from './code-points.js';
import { appended, checkStringLength } from './value-limit.js';

const require = createRequire(import.meta.url);
/** Loaded on first use: its Unicode tables cost start-up, and most job files hold no regular expression. */
const re2 = () => (require('re2js') as typeof Re2js).RE2JS;

const compiled = new Map<string, RE2JS>();

/** Compiles once per pattern; a bad pattern throws Go's own message ("error parsing regexp: …"). */
export function goRegexp(pattern: string): RE2JS {
  let re = compiled.get(pattern);
  if (!re) {
    try {
      re = re2().compile(pattern);
    } catch (error) {
      throw new Error((error as Error).message);
    }
    compiled.set(pattern, re);
  }
  return re;
}

/** Go's (*Regexp).ReplaceAllString. */
export function replaceAllString(re: RE2JS, src: string, template: string): string {
  const matcher = re.matcher(src);
  const names = re.namedGroups() as Record<string, number>;
  let out = '';
  let lastMatchEnd = 0;
  let searchPos = 0;
  while (searchPos <= src.length && matcher.find(searchPos)) {
    const start = matcher.start();
    const end = matcher.end();
    out = appended(out, src.slice(lastMatchEnd, start));
    // No replacement for an empty match right after another match (Go's rule; JavaScript makes one).
    if (end > lastMatchEnd || start === 0)
      out = appended(out, expand(template, matcher, re.groupCount(), names));
    lastMatchEnd = end;
    const width = searchPos < src.length ? (src.codePointAt(searchPos)! > 0xffff ? 2 : 1) : 0;
    if (searchPos + width > end) searchPos += width;
    else if (searchPos + 1 > end) searchPos++;
    else searchPos = end;
  }
  return appended(out, src.slice(lastMatchEnd));
}

type Matcher = ReturnType<RE2JS['matcher']>;

/** Go's (*Regexp).expand: `$$` is `$`; `$name` takes the longest run of letters, digits and `_`. */
function expand(template: string, matcher: Matcher, groups: number, names: Record<string, number>): string {
  let out = '';
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf('$');
    if (dollar < 0) return out + rest;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest.startsWith('$')) {
      out += '$';
      rest = rest.slice(1);
      continue;
    }
    const reference = extract(rest);
    if (!reference) {
      out += '$';
      continue;
    }
    rest = reference.rest;
    const group = reference.num >= 0 ? reference.num : names[reference.name];
    if (group !== undefined && group <= groups && matcher.start(group) >= 0)
      out += matcher.group(group) ?? '';
  }
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/** Go's regexp.extract: a name (or number) after `$`, optionally in braces; undefined when malformed. */
function extract(text: string): { name: string; num: number; rest: string } | undefined {
  const brace = text.startsWith('{');
  const body = brace ? text.slice(1) : text;
  let length = 0;
  for (const char of body) {
    if (!NAME_CHAR.test(char)) break;
    length += char.length;
  }
  if (length === 0) return undefined;
  const name = body.slice(0, length);
  let consumed = length;
  if (brace) {
    if (body[length] !== '}') return undefined;
    consumed++;
  }
  let num = 0;
  for (const char of name) {
    if (char < '0' || char > '9' || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + Number(char);
  }
  if (name.length > 1 && name.startsWith('0')) num = -1;
  return { name, num, rest: body.slice(consumed) };
}

/** Go's strings.Replace(s, old, new, -1): an empty `old` matches before every character and at the end. */
export function replaceAllSubstrings(text: string, old: string, replacement: string): string {
  if (old !== '') {
    const parts = text.split(old);
    checkStringLength(text.length + (parts.length - 1) * (replacement.length - old.length));
    return parts.join(replacement);
  }
  const replacements = text === '' ? 1 : codePointCount(text) + 1;
  checkStringLength(text.length + replacements * replacement.length);
  return `${replacement}${[...text].join(replacement)}${text === '' ? '' : replacement}`;
}
