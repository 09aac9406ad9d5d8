/** Constraint, Affinity and Spread Validate (nomad/structs, v2.0.5): operands, targets, weights and percentages. */
import { goRegexp } from '../../hcl/go-regexp.js';
import type { Findings } from './findings.js';
import { int, numberOf, objects, text, type Obj } from './values.js';

const COMPARISONS = ['=', '==', 'is', '!=', 'not', '<', '<=', '>', '>='];
const SET_CONTAINS = ['set_contains_all', 'set_contains_any', 'set_contains'];
const EXACT_TARGETS = [
  '${node.unique.id}',
  '${node.datacenter}',
  '${node.unique.name}',
  '${node.class}',
  '${node.pool}',
];
const TARGET_PREFIXES = ['${attr.', '${device.', '${meta.'];

const VERSION_CORE = String.raw`v?([0-9]+(\.[0-9]+)*?)`;
const BUILD = String.raw`(\+([0-9A-Za-z\-~]+(\.[0-9A-Za-z\-~]+)*))?`;
/** hashicorp/go-version's VersionRegexpRaw (a prerelease may follow without its dash) and SemverRegexpRaw. */
const VERSION = `${VERSION_CORE}(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-?([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?${BUILD}?`;
const SEMVER = `${VERSION_CORE}(-([0-9]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)|(-([A-Za-z\\-~]+[0-9A-Za-z\\-~]*(\\.[0-9A-Za-z\\-~]+)*)))?${BUILD}?`;

/** Compiled on first use (goRegexp caches): most jobs have no version constraint. */
const versionConstraint = () => goRegexp(`^\\s*(<=|>=|!=|~>|<|>|=|)\\s*(${VERSION})\\s*$`);
const semverConstraint = () => goRegexp(`^\\s*(=|!=|>|<|>=|<=|)\\s*(${SEMVER})\\s*$`);
const INT64_MAX = 9223372036854775807n;

/**
 * The error of go-version's NewConstraint (`malformed`) or of Nomad's semver constraints (`Malformed`), or
 * undefined when every comma-separated part parses.
 */
function versionProblem(rtarget: string, semver: boolean): string | undefined {
  for (const single of rtarget.split(',')) {
    const match = (semver ? semverConstraint : versionConstraint)().matcher(single);
    if (!match.matches()) return `${semver ? 'Malformed' : 'malformed'} constraint: ${single}`;
    for (const segment of match.group(3)!.split('.'))
      if (BigInt(segment) > INT64_MAX)
        return `error parsing version: strconv.ParseInt: parsing "${segment}": value out of range`;
  }
  return undefined;
}

function regexpProblem(rtarget: string): string | undefined {
  try {
    goRegexp(rtarget);
    return undefined;
  } catch (caught) {
    return `Regular expression failed to compile: ${(caught as Error).message}`;
  }
}

function targetProblem(target: string): string | undefined {
  if (!target.startsWith('$')) return undefined;
  if (!target.startsWith('${')) return `attribute "${target}" is missing an opening brace`;
  if (!target.endsWith('}')) return `attribute "${target}" is missing a closing brace`;
  if (EXACT_TARGETS.includes(target) || TARGET_PREFIXES.some((p) => target.startsWith(p))) return undefined;
  return `unsupported attribute "${target}"`;
}

/** The operands constraints and affinities share: comparisons, Go regexps, version and semver constraints. */
const MATCHING = [...COMPARISONS, 'regexp', 'version', 'semver'];

function matchingProblem(
  operand: string,
  rtarget: string,
  noun: 'constraint' | 'affinity',
): string | undefined {
  if (operand === 'regexp') return regexpProblem(rtarget);
  if (operand === 'version' || operand === 'semver') {
    const wrong = versionProblem(rtarget, operand === 'semver');
    return wrong && `${operand === 'semver' ? 'Semver' : 'Version'} ${noun} is invalid: ${wrong}`;
  }
  return rtarget === '' ? `Operator "${operand}" requires an RTarget` : undefined;
}

function constraintRules(c: Obj, f: Findings): void {
  const operand = text(c, 'Operand');
  const rtarget = text(c, 'RTarget');
  if (operand === '') f.add('Missing constraint operand', 'Operand');
  let needsAttribute = true;
  let problem: string | undefined;
  if (operand === 'distinct_hosts') needsAttribute = false;
  else if (SET_CONTAINS.includes(operand)) {
    if (rtarget === '') problem = 'Set contains constraint requires an RTarget';
  } else if (MATCHING.includes(operand)) problem = matchingProblem(operand, rtarget, 'constraint');
  else if (operand === 'distinct_property') {
    if (rtarget !== '') {
      if (!/^[0-9]+$/.test(rtarget) || BigInt(rtarget) > 18446744073709551615n)
        problem = `Failed to convert RTarget "${rtarget}" to uint64: strconv.ParseUint: parsing "${rtarget}": ${/^[0-9]+$/.test(rtarget) ? 'value out of range' : 'invalid syntax'}`;
      else if (BigInt(rtarget) < 1n)
        problem = `Distinct Property must have an allowed count of 1 or greater: ${rtarget} < 1`;
    }
  } else if (operand === 'is_set' || operand === 'is_not_set') {
    if (rtarget !== '') problem = `Operator "${operand}" does not support an RTarget`;
  } else problem = `Unknown constraint type "${operand}"`;
  if (problem) f.add(problem, rtarget === '' ? 'Operand' : 'RTarget');
  if (!needsAttribute) return;
  const ltarget = text(c, 'LTarget');
  if (ltarget === '') f.add('no attribute provided but is required by operator', 'LTarget');
  else {
    const wrong = targetProblem(ltarget);
    if (wrong) f.add(wrong, 'LTarget');
  }
}

function affinityRules(a: Obj, f: Findings): void {
  const operand = text(a, 'Operand');
  const rtarget = text(a, 'RTarget');
  if (operand === '') f.add('Missing affinity operand', 'Operand');
  let problem: string | undefined;
  if (SET_CONTAINS.includes(operand)) {
    if (rtarget === '') problem = 'Set contains operators require an RTarget';
  } else if (MATCHING.includes(operand)) problem = matchingProblem(operand, rtarget, 'affinity');
  else problem = `Unknown affinity operator "${operand}"`;
  if (problem) f.add(problem, rtarget === '' ? 'Operand' : 'RTarget');
  if (text(a, 'LTarget') === '') f.add('No LTarget provided but is required', 'LTarget');
  const weight = numberOf(a, 'Weight') ?? 50;
  if (weight === 0) f.add('Affinity weight cannot be zero', 'Weight');
  if (weight > 100 || weight < -100) f.add('Affinity weight must be within the range [-100,100]', 'Weight');
}

function spreadRules(s: Obj, f: Findings): void {
  if (text(s, 'Attribute') === '') f.add('Missing spread attribute', 'Attribute');
  const weight = numberOf(s, 'Weight') ?? 50;
  if (weight <= 0 || weight > 100) f.add('Spread block must have a positive weight from 0 to 100', 'Weight');
  const seen = new Set<string>();
  let sum = 0;
  for (const target of objects(s, 'SpreadTarget')) {
    const value = text(target, 'Value');
    const at = f.in(target);
    if (seen.has(value)) at.add(`Spread target value "${value}" already defined`, 'Value');
    seen.add(value);
    const percent = int(target, 'Percent');
    if (percent > 100)
      at.add(`Spread target percentage for value "${value}" must be between 0 and 100`, 'Percent');
    sum += percent;
  }
  if (sum > 100)
    f.add(`Sum of spread target percentages must not be greater than 100%; got ${sum}%`, 'SpreadTarget');
}

/**
 * The constraints, affinities and spreads of a job, group or task, as its Validate checks them: a system job may
 * have no affinity or spread at all (tasks have no spreads).
 */
export function placementRules(owner: Obj, jobType: string, f: Findings): void {
  objects(owner, 'Constraints').forEach((c, i) => {
    const at = f.in(c, `constraint ${i + 1}`);
    constraintRules(c, at);
  });
  const affinities = owner.Affinities;
  if (jobType === 'system' && Array.isArray(affinities) && affinities.length > 0)
    f.add('System jobs may not have an affinity block', 'Affinities');
  else objects(owner, 'Affinities').forEach((a, i) => affinityRules(a, f.in(a, `affinity ${i + 1}`)));
  if (!('Spreads' in owner)) return;
  const spreads = owner.Spreads;
  if (jobType === 'system' && Array.isArray(spreads) && spreads.length > 0)
    f.add('System jobs may not have a spread block', 'Spreads');
  else objects(owner, 'Spreads').forEach((s, i) => spreadRules(s, f.in(s, `spread ${i + 1}`)));
}
