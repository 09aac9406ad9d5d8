/**
 * The functions a check's expressions may call: those of Nomad's job files (without the filesystem: a check reads
 * the plan, not the disk), and the Terraform functions rules are written with that Nomad's jobspec lacks. These
 * extra functions live only here: job files stay read exactly as Nomad reads them.
 */
import { ArgumentError, type HclFunction } from '../source/hcl/evaluate.js';
import { jobspecFunctions } from '../source/hcl/functions.js';
import { goRegexp } from '../source/hcl/go-regexp.js';
import { add, isNumber, wholeNumber, type NumberValue } from '../source/hcl/numbers.js';
import { convert, describeValue, formatScalar, type HclType, type Value } from '../source/hcl/types.js';

/** The times a check may ask for: timestamp() is when it is evaluated, plantimestamp() when the plan was made. */
export interface CheckTimes {
  readonly now: string;
  readonly planned: string;
}

const call = (params: number, impl: NonNullable<HclFunction['call']>): HclFunction => ({
  params,
  call: impl,
});

const text = (v: Value, index: number, parameter: string): string => {
  if (typeof v === 'string') return v;
  if (isNumber(v) || typeof v === 'boolean') return formatScalar(v);
  throw new ArgumentError(index, parameter, `a string is required, not ${describeValue(v)}`);
};

const items = (v: Value, parameter: string): Value[] => {
  if (Array.isArray(v)) return v;
  throw new ArgumentError(0, parameter, `a list is required, not ${describeValue(v)}`);
};

const truth = (v: Value, parameter: string): boolean => {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new ArgumentError(0, parameter, `a list of bools is required, and it holds ${describeValue(v)}`);
};

const converter = (type: HclType): HclFunction =>
  call(1, ([v]) => {
    try {
      return convert(v!, type);
    } catch (caught) {
      throw new ArgumentError(0, 'v', (caught as Error).message);
    }
  });

const ANY: HclType = { kind: 'any' };

/** regex()'s result for one match, as Terraform gives it: the match, a list of its groups, or a map of named ones. */
function matchValue(groups: (string | null)[], names: Record<string, number>): Value {
  const named = Object.entries(names);
  if (named.length > 0) return Object.fromEntries(named.map(([name, i]) => [name, groups[i] ?? null]));
  if (groups.length > 1) return groups.slice(1).map((g) => g ?? null);
  return groups[0] ?? '';
}

function matches(pattern: string, subject: string, all: boolean): Value[] {
  let re;
  try {
    re = goRegexp(pattern);
  } catch (caught) {
    throw new ArgumentError(0, 'pattern', (caught as Error).message);
  }
  const names = re.namedGroups() as Record<string, number>;
  const matcher = re.matcher(subject);
  const found: Value[] = [];
  while (matcher.find()) {
    const groups = Array.from(
      { length: matcher.groupCount() + 1 },
      (_, i) => matcher.group(i) as string | null,
    );
    found.push(matchValue(groups, names));
    if (!all) break;
  }
  return found;
}

function extraFunctions(times: CheckTimes): Record<string, HclFunction> {
  return {
    alltrue: call(1, ([list]) => items(list!, 'list').every((v) => truth(v, 'list'))),
    anytrue: call(1, ([list]) => items(list!, 'list').some((v) => truth(v, 'list'))),
    startswith: call(2, ([s, prefix]) => text(s!, 0, 'str').startsWith(text(prefix!, 1, 'prefix'))),
    endswith: call(2, ([s, suffix]) => text(s!, 0, 'str').endsWith(text(suffix!, 1, 'suffix'))),
    strcontains: call(2, ([s, sub]) => text(s!, 0, 'str').includes(text(sub!, 1, 'substr'))),
    regex: call(2, ([pattern, s]) => {
      const found = matches(text(pattern!, 0, 'pattern'), text(s!, 1, 'string'), false);
      if (found.length === 0)
        throw new ArgumentError(1, 'string', 'pattern did not match any part of the given string');
      return found[0]!;
    }),
    regexall: call(2, ([pattern, s]) => matches(text(pattern!, 0, 'pattern'), text(s!, 1, 'string'), true)),
    one: call(1, ([list]) => {
      const all = items(list!, 'list');
      if (all.length > 1)
        throw new ArgumentError(0, 'list', `must have no more than one element, and it has ${all.length}`);
      return all[0] ?? null;
    }),
    sum: call(1, ([list]) => {
      const all = items(list!, 'list');
      if (all.length === 0) throw new ArgumentError(0, 'list', 'cannot sum an empty list');
      return all.reduce<NumberValue>((total, v) => {
        if (!isNumber(v))
          throw new ArgumentError(
            0,
            'list',
            `a list of numbers is required, and it holds ${describeValue(v)}`,
          );
        return add(total, v);
      }, wholeNumber(0));
    }),
    tostring: converter({ kind: 'string' }),
    tonumber: converter({ kind: 'number' }),
    tobool: converter({ kind: 'bool' }),
    tolist: converter({ kind: 'list', element: ANY }),
    toset: converter({ kind: 'set', element: ANY }),
    tomap: converter({ kind: 'map', element: ANY }),
    timestamp: call(0, () => times.now),
    plantimestamp: call(0, () => times.planned),
  };
}

export function checkFunctions(times: CheckTimes): Record<string, HclFunction> {
  return { ...jobspecFunctions(false), ...extraFunctions(times) };
}
