/** Glob patterns (`*`, `**`, `?`, `{a,b}`, `[abc]`) as regular expressions over "/"-separated paths. */
/** A glob as a regular expression's source (anchored): the same for JavaScript's RegExp and Go's RE2. */
export function globSource(pattern: string): string {
  let re = '';
  let inGroup = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      inGroup++;
      re += '(?:';
    } else if (c === '}' && inGroup > 0) {
      inGroup--;
      re += ')';
    } else if (c === ',' && inGroup > 0) re += '|';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        re += `[${pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^$()|\\\]]/g, '\\$&');
  }
  return `^${re}$`;
}

export function globToRegExp(pattern: string): RegExp {
  return new RegExp(globSource(pattern));
}

export const hasGlob = (path: string) => /[*?[{]/.test(path);
