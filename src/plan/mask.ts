/**
 * Secrets in renderings, decided once on the plan model: `planForDisplay` turns a Plan into the only shape the
 * renderers accept, with every value a masking pattern marks replaced by "(sensitive)".
 *
 * A value is secret when its field path runs through a map that carries user data (Env, Meta, task Config,
 * getter options and headers, check headers) and a key below that map matches a pattern, whatever the diff's
 * spelling (`Env[DB_PASSWORD]` from Nomad, `Env.DB_PASSWORD` or `Config[auth][0][token]` elsewhere); template
 * data and variable files are masked line by line. Every secret value found that way, in the desired job, its
 * variables or the diff, is then scrubbed from every other string of the plan, so a password that also appears
 * in `args` or a warning is masked there too.
 */
import type { JobChange } from '../kinds/job/change.js';
import type { FieldDiff, Job, JobDiff, JobSubmissionInput, ObjectDiff } from '../nomad/types.js';
import { diffOf, type Change, type Plan } from './model.js';
import { SecretFinder } from './secret-finder.js';
import { isSensitiveKey, maskLines, SENSITIVE } from '../util/secret-lines.js';

export { SENSITIVE };

/** Secret values shorter than this are masked where they stand or as a whole value, never cut out of other text. */
const MIN_SCRUBBED_LENGTH = 4;

/** Maps whose keys are the user's (Go maps in Nomad's structs), as opposed to struct fields. */
export const USER_MAPS: ReadonlySet<string> = new Set([
  'Env',
  'Meta',
  'CanaryMeta',
  'Config',
  'GetterOptions',
  'GetterHeaders',
  'Header',
]);
const TEMPLATE_FIELDS = new Set(['EmbeddedTmpl', 'Template']);

declare const displayable: unique symbol;
/** A plan whose values are fit to print: masked, or revealed on the user's explicit request. */
export type DisplayPlan = Plan & { readonly [displayable]: true };

const SEGMENT = /\[([^\]]*)\]|([^.[\]]+)/g;

/**
 * `Env[DB_PASSWORD]`, `Env.API_TOKEN`, `auth[0][token]`, `Meta[drover.stack]` → their segments. (A plan of a new
 * job asks this of every field: 400,000 in a big meta block, so no iterator is made per field.)
 */
function pathSegments(name: string): string[] {
  const segments: string[] = [];
  SEGMENT.lastIndex = 0;
  for (let match = SEGMENT.exec(name); match; match = SEGMENT.exec(name))
    segments.push(match[1] ?? match[2]!);
  return segments;
}

/** Whether a value at this path is secret: a key below a user-data map matches a pattern. */
function isSensitivePath(path: readonly string[], patterns: readonly string[]): boolean {
  let i = 0;
  while (i < path.length && !USER_MAPS.has(path[i]!)) i++;
  for (i++; i < path.length; i++)
    if (!/^\d+$/.test(path[i]!) && isSensitiveKey(path[i]!, patterns)) return true;
  return false;
}

const isTemplatePath = (path: readonly string[]) =>
  TEMPLATE_FIELDS.has(path.at(-1) ?? '') || path.includes('Template');

/** `--db-password=…`, `-token:…`, `PASSWORD=…`: an option and its value in one argument. */
const SECRET_OPTION = /^(-{0,2})([A-Za-z0-9_.-]+)([=:])(.+)$/s;
/** `--db-password`, alone: the next argument is its value. */
const FLAG = /^-{1,2}([A-Za-z0-9_.-]+)$/;
const isArgumentPath = (path: readonly string[]) => path.at(-2) === 'args' && /^\d+$/.test(path.at(-1) ?? '');

class Masker {
  readonly secrets = new Set<string>();

  constructor(private readonly patterns: readonly string[]) {}

  /**
   * A value at `path`: masked when the path is secret (remembering the value), template data line by line, a
   * command-line argument `--password=…` after its `=`.
   */
  value(path: readonly string[], value: string): string {
    if (value === '') return value;
    if (isSensitivePath(path, this.patterns)) {
      this.secrets.add(value);
      return SENSITIVE;
    }
    if (isTemplatePath(path)) return maskLines(value, this.patterns, this.secrets);
    const option = isArgumentPath(path) ? SECRET_OPTION.exec(value) : null;
    if (!option || !isSensitiveKey(option[2]!, this.patterns)) return value;
    this.secrets.add(option[4]!);
    return `${option[1]}${option[2]}${option[3]}${SENSITIVE}`;
  }

  /**
   * Every string of a JSON value, by its path; in a task's args, the value that follows `--password`. What holds
   * nothing to mask is kept as it is, not copied: a meta block may hold 400,000 keys.
   */
  json(value: unknown, path: string[]): unknown {
    if (typeof value === 'string') return this.value(path, value);
    if (Array.isArray(value) && path.at(-1) === 'args')
      return value.map((v, i) => {
        const flag = i > 0 ? FLAG.exec(String(value[i - 1])) : null;
        if (typeof v !== 'string' || v === '' || !flag || !isSensitiveKey(flag[1]!, this.patterns))
          return this.json(v, [...path, String(i)]);
        this.secrets.add(v);
        return SENSITIVE;
      });
    if (Array.isArray(value)) return mapItems(value, (v, i) => this.below(path, String(i), v));
    if (value && typeof value === 'object')
      return mapValues(value as Record<string, unknown>, (v, k) => this.below(path, k, v), {
        leaveOutUndefined: true,
      });
    // As JSON has it: an undefined item is null (an undefined attribute is left out, above).
    return value === undefined ? null : value;
  }

  /** `value` at `key` below `path`: one path array grown and shrunk along the walk, none made per value. */
  private below(path: string[], key: string, value: unknown): unknown {
    path.push(key);
    const masked = this.json(value, path);
    path.pop();
    return masked;
  }

  fields(list: readonly FieldDiff[] | null, path: readonly string[]): FieldDiff[] | null {
    return (
      list?.map((f) => {
        const at = path.length === 0 ? pathSegments(f.Name) : [...path, ...pathSegments(f.Name)];
        const Old = this.value(at, f.Old);
        const New = this.value(at, f.New);
        return Old === f.Old && New === f.New ? f : { ...f, Old, New };
      }) ?? null
    );
  }

  objects(list: readonly ObjectDiff[] | null, path: readonly string[]): ObjectDiff[] | null {
    return (
      list?.map((o) => ({
        ...o,
        Fields: this.fields(o.Fields, [...path, o.Name]),
        Objects: this.objects(o.Objects, [...path, o.Name]),
      })) ?? null
    );
  }

  diff(diff: JobDiff): JobDiff {
    return {
      ...diff,
      Fields: this.fields(diff.Fields, []),
      Objects: this.objects(diff.Objects, []),
      TaskGroups:
        diff.TaskGroups?.map((g) => ({
          ...g,
          Fields: this.fields(g.Fields, []),
          Objects: this.objects(g.Objects, []),
          Tasks:
            g.Tasks?.map((t) => ({
              ...t,
              Fields: this.fields(t.Fields, []),
              Objects: this.objects(t.Objects, []),
            })) ?? null,
        })) ?? null,
    };
  }

  add(secrets: Iterable<string>): void {
    for (const secret of secrets) if (secret !== '') this.secrets.add(secret);
  }

  /** The values of variables whose names are sensitive (flags, NOMAD_VAR_*, var files). */
  variables(submission: JobSubmissionInput | undefined): void {
    for (const [name, value] of Object.entries(submission?.VariableFlags ?? {}))
      if (isSensitiveKey(name, this.patterns) && value !== '') this.secrets.add(value);
    if (submission?.Variables) maskLines(submission.Variables, this.patterns, this.secrets);
  }

  /**
   * A secret that changed in place: where one side of a field holds a known secret, the other side with the same
   * text around it holds that secret's other value (`--password=old` → `--password=new`), line by line.
   */
  inferChanged(diff: JobDiff, finder: SecretFinder): void {
    const fields = (list: readonly FieldDiff[] | null) => list?.forEach((f) => this.changedSecret(f, finder));
    const objects = (list: readonly ObjectDiff[] | null) =>
      list?.forEach((o) => {
        fields(o.Fields);
        objects(o.Objects);
      });
    fields(diff.Fields);
    objects(diff.Objects);
    for (const g of diff.TaskGroups ?? []) {
      fields(g.Fields);
      objects(g.Objects);
      for (const t of g.Tasks ?? []) {
        fields(t.Fields);
        objects(t.Objects);
      }
    }
  }

  private changedSecret({ Old, New }: FieldDiff, finder: SecretFinder): void {
    if (Old === '' || New === '' || Old === New) return;
    const oldLines = Old.split('\n');
    const newLines = New.split('\n');
    const lines: Array<[string, string]> =
      oldLines.length === newLines.length ? oldLines.map((l, i) => [l, newLines[i]!]) : [[Old, New]];
    for (const [a, b] of lines) {
      this.counterpart(finder, a, b);
      this.counterpart(finder, b, a);
    }
  }

  private counterpart(finder: SecretFinder, known: string, other: string): void {
    for (const { secret, at } of finder.firstOccurrences(known)) {
      const before = known.slice(0, at);
      const after = known.slice(at + secret.length);
      if (other.length > before.length + after.length && other.startsWith(before) && other.endsWith(after))
        this.secrets.add(other.slice(before.length, other.length - after.length));
    }
  }

  /** One search for every secret known so far; a short one masks only a value that is all of it. */
  finder(): SecretFinder {
    const secrets = [...this.secrets];
    return new SecretFinder(
      secrets.filter((secret) => secret.length >= MIN_SCRUBBED_LENGTH),
      new Set(secrets.filter((secret) => secret.length < MIN_SCRUBBED_LENGTH)),
    );
  }
}

/** Every secret found anywhere, cut out of every string of a value; a value without any is kept as it is. */
export function scrubDeep<T>(value: T, finder: SecretFinder): T {
  if (finder.isEmpty) return value;
  if (typeof value === 'string') return finder.replace(value, SENSITIVE) as T;
  if (Array.isArray(value)) return mapItems(value, (v) => scrubDeep(v, finder)) as T;
  if (value && typeof value === 'object')
    return mapValues(value as Record<string, unknown>, (v) => scrubDeep(v, finder)) as T;
  return value;
}

/** The list with each item mapped, or the list itself when no item changes. */
function mapItems<T>(list: readonly T[], map: (item: T, index: number) => T): readonly T[] {
  let out: T[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const mapped = map(list[i]!, i);
    if (mapped !== list[i]) (out ??= list.slice())[i] = mapped;
  }
  return out ?? list;
}

/**
 * The object with each value mapped (its keys and their order kept), or the object itself when none changes.
 * `leaveOutUndefined`: an attribute whose value is undefined is left out, as JSON leaves it out.
 */
function mapValues<T>(
  object: Readonly<Record<string, T>>,
  map: (value: T, key: string) => T,
  options: { readonly leaveOutUndefined?: boolean } = {},
): Readonly<Record<string, T>> {
  let changed: Array<[string, T]> | undefined;
  let absent: string[] | undefined;
  for (const key of Object.keys(object)) {
    const value = object[key]!;
    if (value === undefined && options.leaveOutUndefined) {
      (absent ??= []).push(key);
      continue;
    }
    const mapped = map(value, key);
    if (mapped !== value) (changed ??= []).push([key, mapped]);
  }
  if (!changed && !absent) return object;
  const out = { ...object };
  for (const key of absent ?? []) delete out[key];
  // Defined, not assigned: a key "__proto__" stays a key.
  for (const [key, value] of changed ?? [])
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * The plan as renderers may show it. The job drover registers and its submission stay in the Plan that apply
 * uses; the display copy carries a masked job and no submission.
 */
export function planForDisplay(plan: Plan, options: { readonly showSensitive: boolean }): DisplayPlan {
  if (options.showSensitive) return plan as DisplayPlan;
  const known = maskedChanges.get(plan.changes);
  if (known && known.patterns === plan.settings.maskPatterns)
    return { ...plan, changes: known.changes } as Plan as DisplayPlan;
  const { display } = maskPlan(plan);
  maskedChanges.set(plan.changes, { patterns: plan.settings.maskPatterns, changes: display.changes });
  return display;
}

/**
 * The masked changes of the plans masked so far, by their (immutable) list of changes: the checks and the
 * rendering of one plan (which differ only beside their changes: its checks' results) mask it once.
 */
const maskedChanges = new WeakMap<
  readonly Change[],
  { readonly patterns: readonly string[]; readonly changes: readonly Change[] }
>();

/**
 * Every secret the plan holds, found as planForDisplay finds them: what drover prints while carrying the plan out
 * (Nomad's answers, a failing task's stderr, results) is scrubbed with it.
 */
export function secretsOf(plan: Plan, extra: Iterable<string> = []): SecretFinder {
  return maskPlan(plan, extra).finder;
}

/** `extra`: secrets the plan does not hold (the values of the variables it writes, read for apply). */
function maskPlan(plan: Plan, extra: Iterable<string> = []): { display: DisplayPlan; finder: SecretFinder } {
  const masker = new Masker(plan.settings.maskPatterns);
  masker.add(extra);
  const masked = plan.changes.map((change) => maskChange(change, masker));
  const known = masker.finder();
  for (const change of plan.changes) {
    const diff = diffOf(change);
    if (diff) masker.inferChanged(diff, known);
  }
  const finder = masker.finder();
  const display = {
    ...plan,
    changes: masked.map((change) => scrubDeep(change, finder)),
  } as Plan as DisplayPlan;
  return { display, finder };
}

/** A change as renderers may see it: its values masked, a job's submission (variable values) left out. */
function maskChange(change: Change, masker: Masker): Change {
  if (change.kind === 'job') return maskJobChange(change, masker);
  return change.action === 'noop' || change.action === 'delete'
    ? change
    : ({
        ...change,
        spec: masker.json(change.spec, []),
        fields: masker.fields(change.fields, []) ?? [],
      } as Change);
}

function maskJobChange(change: JobChange, masker: Masker): JobChange {
  switch (change.action) {
    case 'promote':
    case 'delete':
      return change;
    case 'revert':
      return { ...change, job: masker.json(change.job, []) as Job, diff: masker.diff(change.diff) };
    default: {
      masker.variables(change.submission);
      const { submission: _submission, ...rest } = change;
      return {
        ...rest,
        job: masker.json(change.job, []) as Job,
        ...(change.diff ? { diff: masker.diff(change.diff) } : {}),
      };
    }
  }
}
