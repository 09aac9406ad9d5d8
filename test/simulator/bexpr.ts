/**
 * The subset of go-bexpr (Nomad's `filter` parameter) that list endpoints need: selectors (`ID`, `Meta["k"]`,
 * `Meta.k`, `JobSummary.Summary`), ==, !=, contains, not contains, in, not in, matches, not matches, is empty,
 * is not empty, and/or/not, parentheses, string and number literals.
 */
type Value = unknown;
type Predicate = (item: Value) => boolean;

export class FilterError extends Error {}

interface Token {
  kind: 'ident' | 'string' | 'number' | 'op' | 'lparen' | 'rparen' | 'lbracket' | 'rbracket' | 'dot';
  text: string;
  at: number;
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      while (j < input.length && input[j] !== c) {
        if (input[j] === '\\' && c === '"') j++;
        text += input[j];
        j++;
      }
      if (j >= input.length) throw new FilterError(`1:${i + 1}: unterminated string`);
      tokens.push({ kind: 'string', text, at: i });
      i = j + 1;
    } else if (input.startsWith('==', i) || input.startsWith('!=', i)) {
      tokens.push({ kind: 'op', text: input.slice(i, i + 2), at: i });
      i += 2;
    } else if ('()[].'.includes(c)) {
      const kind = ({ '(': 'lparen', ')': 'rparen', '[': 'lbracket', ']': 'rbracket', '.': 'dot' } as const)[
        c as '('
      ];
      tokens.push({ kind, text: c, at: i });
      i++;
    } else if (/[0-9-]/.test(c)) {
      const match = /^-?\d+(\.\d+)?/.exec(input.slice(i))!;
      if (!match) throw new FilterError(`1:${i + 1}: no match found`);
      tokens.push({ kind: 'number', text: match[0], at: i });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(input.slice(i))!;
      tokens.push({ kind: 'ident', text: match[0], at: i });
      i += match[0].length;
    } else throw new FilterError(`1:${i + 1} (${i}): no match found, unexpected "${c}"`);
  }
  return tokens;
}

export function compileFilter(input: string): Predicate {
  const tokens = tokenize(input);
  let pos = 0;
  const peek = () => tokens[pos];
  const word = (w: string) => peek()?.kind === 'ident' && peek()!.text === w;
  const expect = (kind: Token['kind']) => {
    const t = tokens[pos++];
    if (!t || t.kind !== kind) throw new FilterError(`1:${(t?.at ?? input.length) + 1}: expected ${kind}`);
    return t;
  };

  const parseOr = (): Predicate => {
    let left = parseAnd();
    while (word('or')) {
      pos++;
      const l = left;
      const r = parseAnd();
      left = (item) => l(item) || r(item);
    }
    return left;
  };
  const parseAnd = (): Predicate => {
    let left = parseUnary();
    while (word('and')) {
      pos++;
      const l = left;
      const r = parseUnary();
      left = (item) => l(item) && r(item);
    }
    return left;
  };
  const parseUnary = (): Predicate => {
    if (word('not')) {
      pos++;
      const inner = parseUnary();
      return (item) => !inner(item);
    }
    if (peek()?.kind === 'lparen') {
      pos++;
      const inner = parseOr();
      expect('rparen');
      return inner;
    }
    return parseMatch();
  };
  const parseSelector = (): string[] => {
    const path = [expect('ident').text];
    for (;;) {
      if (peek()?.kind === 'dot') {
        pos++;
        path.push(expect('ident').text);
      } else if (peek()?.kind === 'lbracket') {
        pos++;
        path.push(expect('string').text);
        expect('rbracket');
      } else return path;
    }
  };
  const parseValue = (): string => {
    const t = tokens[pos++];
    if (!t || (t.kind !== 'string' && t.kind !== 'number' && t.kind !== 'ident'))
      throw new FilterError(`1:${(t?.at ?? input.length) + 1}: expected a value`);
    return t.text;
  };
  const parseMatch = (): Predicate => {
    // `"value" in Selector` form
    if (peek()?.kind === 'string' || peek()?.kind === 'number') {
      const value = parseValue();
      const negate = word('not') ? (pos++, true) : false;
      if (!word('in')) throw new FilterError(`1:${(peek()?.at ?? input.length) + 1}: expected "in"`);
      pos++;
      const selector = parseSelector();
      return (item) => contains(select(item, selector), value) !== negate;
    }
    const selector = parseSelector();
    const t = peek();
    if (t?.kind === 'op') {
      pos++;
      const value = parseValue();
      return (item) => (text(select(item, selector)) === value) === (t.text === '==');
    }
    if (word('is')) {
      pos++;
      const negate = word('not') ? (pos++, true) : false;
      if (!word('empty')) throw new FilterError('expected "empty"');
      pos++;
      return (item) => isEmpty(select(item, selector)) !== negate;
    }
    const negate = word('not') ? (pos++, true) : false;
    if (word('contains')) {
      pos++;
      const value = parseValue();
      return (item) => contains(select(item, selector), value) !== negate;
    }
    if (word('matches')) {
      pos++;
      const regex = new RegExp(parseValue());
      return (item) => regex.test(text(select(item, selector))) !== negate;
    }
    throw new FilterError(`1:${(t?.at ?? input.length) + 1}: no match found, expected an operator`);
  };

  const predicate = parseOr();
  if (pos < tokens.length)
    throw new FilterError(`1:${tokens[pos]!.at + 1}: unexpected "${tokens[pos]!.text}"`);
  return predicate;
}

function select(item: Value, path: readonly string[]): Value {
  let current = item;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function text(value: Value): string {
  return value === null || value === undefined ? '' : String(value);
}

function contains(value: Value, needle: string): boolean {
  if (Array.isArray(value)) return value.map(text).includes(needle);
  if (value && typeof value === 'object') return Object.keys(value).includes(needle);
  return text(value).includes(needle);
}

function isEmpty(value: Value): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}
