/**
 * Generators of hostile job files (fast-check), one per kind of attack on a reader: exponential expansion,
 * template directives, deep nesting, JavaScript's prototype names, special files, huge values, odd bytes, and
 * catastrophic globs and regular expressions. Each case is a whole job file with the files it reads, aimed at
 * the limits drover enforces (docs/hcl-reader.md, Robustness: 256 levels of nesting, 1,000,000 elements, 64 MiB per value,
 * 10 MiB per file read, format widths of a million) and past them. Used by test/unit/source/hostile-fuzz.test.ts.
 */
import fc from 'fast-check';

export const HOSTILE_KINDS = [
  'expansion',
  'directives',
  'nesting',
  'prototype',
  'special-files',
  'huge-values',
  'odd-bytes',
  'globs-regexes',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** A file made beside the job file before it is read. */
export type Fixture =
  | { readonly type: 'fifo'; readonly name: string }
  | { readonly type: 'sparse'; readonly name: string; readonly bytes: number }
  | { readonly type: 'tree'; readonly name: string; readonly depth: number; readonly width: number }
  | { readonly type: 'symlink'; readonly name: string; readonly target: string };

export interface HostileCase {
  readonly kind: HostileKind;
  /** What the case aims at, in words: all a failure shows of a file that may weigh megabytes. */
  readonly label: string;
  /** job.nomad.hcl or job.nomad.json */
  readonly fileName: string;
  /** The file's text, or its bytes when they are not UTF-8 text. */
  readonly source: string | Uint8Array;
  readonly fixtures: readonly Fixture[];
  readonly allowFilesystem: boolean;
  /** NOMAD_VAR_* values. */
  readonly env: Readonly<Record<string, string>>;
}

const MiB = 1024 * 1024;

/** Where text goes in the job file `jobFile` writes; every part is optional. */
interface JobParts {
  /** Before the job block: variables, locals. */
  readonly top?: string;
  readonly jobId?: string;
  readonly groupName?: string;
  readonly taskName?: string;
  readonly job?: string;
  /** Lines of the job's meta block. */
  readonly meta?: string;
  readonly group?: string;
  readonly task?: string;
  /** Lines of the task's config block. */
  readonly config?: string;
}

/** A valid job around the parts, so that what goes wrong comes from them. */
export function jobFile(parts: JobParts = {}): string {
  return `${parts.top ?? ''}job "${parts.jobId ?? 'hostile'}" {
  datacenters = ["dc1"]
${parts.job ?? ''}  meta {
${parts.meta ?? ''}  }
  group "${parts.groupName ?? 'g'}" {
${parts.group ?? ''}    task "${parts.taskName ?? 't'}" {
      driver = "raw_exec"
      config {
        command = "/bin/true"
${parts.config ?? ''}      }
${parts.task ?? ''}    }
  }
}
`;
}

const meta = (expr: string, key = 'a') => `    ${key} = ${expr}\n`;

/** A case of a job file named job.nomad.hcl, read without the filesystem, unless `extra` says otherwise. */
function caseOf(kind: HostileKind, label: string, source: string, extra: Partial<HostileCase> = {}) {
  return {
    kind,
    label,
    fileName: 'job.nomad.hcl',
    source,
    fixtures: [],
    allowFilesystem: false,
    env: {},
    ...extra,
  } satisfies HostileCase;
}

/** A depth near the nesting limit (256), or far past it. */
const depthAroundLimit = fc.oneof(
  fc.integer({ min: 240, max: 270 }),
  fc.constantFrom(255, 256, 257, 1000, 10_000),
  fc.integer({ min: 300, max: 20_000 }),
);

// ---- expansion ------------------------------------------------------------------------------------------

interface Growth {
  readonly seed: string;
  readonly next: (previous: string) => string;
  /** The value is a list or an object, so a dynamic block can go over it. */
  readonly collection: boolean;
}

/** Each local twice the one before (or more): 2^40 elements or characters if anything built the last. */
const GROWTHS: Readonly<Record<string, Growth>> = {
  list: { seed: '"x"', next: (p) => `[${p}, ${p}]`, collection: true },
  object: { seed: '"x"', next: (p) => `{ a = ${p}, b = ${p} }`, collection: true },
  string: { seed: '"x"', next: (p) => `"\${${p}}\${${p}}"`, collection: false },
  concat: { seed: '["x"]', next: (p) => `concat(${p}, ${p})`, collection: true },
  flatten: { seed: '["x"]', next: (p) => `flatten([${p}, ${p}])`, collection: true },
  jsonencode: { seed: '"x"', next: (p) => `jsonencode([${p}, ${p}])`, collection: false },
  yamlencode: { seed: '"x"', next: (p) => `yamlencode({ a = ${p}, b = ${p} })`, collection: false },
  format: { seed: '"x"', next: (p) => `format("%s%s", ${p}, ${p})`, collection: false },
  join: { seed: '"x"', next: (p) => `join(",", [${p}, ${p}])`, collection: false },
  replace: { seed: '"xx"', next: (p) => `replace(${p}, "x", ${p})`, collection: false },
  for: { seed: '"x"', next: (p) => `[for i in [1, 2] : ${p}]`, collection: true },
  setproduct: { seed: '["x", "y"]', next: (p) => `flatten(setproduct(${p}, ${p}))`, collection: true },
};

/** Where the last local goes: each use may build from it again, or copy it many times over. */
const expansionUse = (last: string, growth: Growth, copies: number) => {
  const asText = growth.collection ? `jsonencode(${last})` : last;
  const iterable = growth.collection ? last : `[${last}]`;
  return fc.constantFrom<[string, JobParts]>(
    ['meta', { meta: meta(growth.collection ? `yamlencode(${last})` : `upper(${last})`) }],
    [
      `${copies} meta copies`,
      { meta: Array.from({ length: copies }, (_, i) => meta(asText, `copy${i}`)).join('') },
    ],
    [
      'dynamic constraint',
      {
        group: `    dynamic "constraint" {\n      for_each = ${iterable}\n      content {\n        attribute = "\${meta.x}"\n        value     = jsonencode(constraint.value)\n      }\n    }\n`,
      },
    ],
    ['env', { task: `      env {\n        BIG = ${asText}\n      }\n` }],
    [
      'template',
      {
        task: `      template {\n        data        = ${asText}\n        destination = "local/x"\n      }\n`,
      },
    ],
    ['args', { config: `        args = ${growth.collection ? `flatten([${last}])` : `[${last}]`}\n` }],
  );
};

/** The parts of several uses in one file: text slots add up, the last label wins. */
const mergeParts = (all: readonly JobParts[]): JobParts => {
  const merged: Record<string, string> = {};
  for (const parts of all)
    for (const [slot, text] of Object.entries(parts))
      merged[slot] = /Id$|Name$/.test(slot) ? text : (merged[slot] ?? '') + text;
  return merged;
};

export const expansionCase: fc.Arbitrary<HostileCase> = fc
  .record({
    shape: fc.constantFrom(...Object.keys(GROWTHS)),
    levels: fc.integer({ min: 16, max: 40 }),
    seedLength: fc.oneof(fc.constant(1), fc.integer({ min: 2, max: 200_000 })),
    seedFromVariable: fc.boolean(),
    copies: fc.integer({ min: 2, max: 24 }),
  })
  .chain((c) =>
    fc
      .uniqueArray(expansionUse(`local.l${c.levels}`, GROWTHS[c.shape]!, c.copies), {
        minLength: 1,
        maxLength: 3,
        selector: ([name]) => name,
      })
      .map((uses) => ({ ...c, uses })),
  )
  .map(({ shape, levels, seedLength, seedFromVariable, uses }) => {
    const growth = GROWTHS[shape]!;
    const seed = growth.seed.replace(/"x/, `"${'x'.repeat(seedLength)}`);
    const chain = Array.from({ length: levels }, (_, i) => `  l${i + 1} = ${growth.next(`local.l${i}`)}\n`);
    const variable = seedFromVariable ? `variable "seed" {\n  default = ${seed}\n}\n` : '';
    const top = `${variable}locals {\n  l0 = ${seedFromVariable ? 'var.seed' : seed}\n${chain.join('')}}\n`;
    const names = [...new Set(uses.map(([name]) => name))];
    return caseOf(
      'expansion',
      `${levels} locals doubling by ${shape} from a seed of ${seedLength} (${seedFromVariable ? 'a variable default' : 'a literal'}), used by ${names.join(', ')}`,
      jobFile({ ...mergeParts(uses.map(([, parts]) => parts)), top }),
    );
  });

// ---- template directives --------------------------------------------------------------------------------

const DIRECTIVES: Readonly<Record<string, (level: number) => [string, string]>> = {
  if: () => ['%{ if true }', '%{ endif }'],
  'if-else': () => ['%{ if false }no%{ else }', '%{ endif }'],
  for: (i) => [`%{ for v${i} in [1, 2] }`, '%{ endfor }'],
  'for-range': (i) => [`%{ for k${i}, v${i} in range(4) }`, '%{ endfor }'],
  'strip markers': () => ['%{~ if true ~}', '%{~ endif ~}'],
};

const damages = ['none', 'unclosed', 'extra end', 'wrong end', 'truncated'] as const;

function damaged(open: string[], close: string[], damage: (typeof damages)[number], cut: number): string {
  const body = '${"x"}';
  const closers = [...close].reverse();
  if (damage === 'unclosed') return open.join('') + body + closers.slice(1).join('');
  if (damage === 'extra end') return open.join('') + body + closers.join('') + '%{ endif }';
  if (damage === 'wrong end')
    return (
      open.join('') + body + closers.map((c) => (c.includes('endif') ? '%{ endfor }' : '%{ endif }')).join('')
    );
  const whole = open.join('') + body + closers.join('');
  return damage === 'truncated' ? whole.slice(0, cut % whole.length) : whole;
}

const nestedDirectives = fc
  .record({
    form: fc.constantFrom(...Object.keys(DIRECTIVES), 'mixed'),
    depth: fc.oneof(fc.integer({ min: 1, max: 40 }), depthAroundLimit),
    container: fc.constantFrom('quoted', 'heredoc', 'indented heredoc', 'template data', 'local'),
    damage: fc.constantFrom(...damages),
    cut: fc.nat(),
  })
  .map(({ form, depth, container, damage, cut }) => {
    const forms = Object.keys(DIRECTIVES);
    const pairs = Array.from({ length: depth }, (_, i) =>
      DIRECTIVES[form === 'mixed' ? forms[i % forms.length]! : form]!(i),
    );
    const template = damaged(
      pairs.map(([o]) => o),
      pairs.map(([, c]) => c),
      damage,
      cut,
    );
    return caseOf(
      'directives',
      `${form} directives ${depth} deep in a ${container}, damage: ${damage}`,
      directiveIn(container, template),
    );
  });

function directiveIn(container: string, template: string): string {
  const quoted = `"${template}"`;
  const heredoc = `<<EOT\n${template}\nEOT\n`;
  switch (container) {
    case 'heredoc':
      return jobFile({ meta: meta(heredoc) });
    case 'indented heredoc':
      return jobFile({ meta: meta(`<<-EOT\n      ${template}\n      EOT\n`) });
    case 'template data':
      return jobFile({
        task: `      template {\n        data        = ${heredoc}        destination = "local/x"\n      }\n`,
      });
    case 'local':
      return jobFile({ top: `locals {\n  t = ${quoted}\n}\n`, meta: meta('local.t') });
    default:
      return jobFile({ meta: meta(quoted) });
  }
}

/** A heredoc of many lines, each a directive over a range, with escapes that must stay text. */
const manyDirectiveLines = fc
  .record({ lines: fc.integer({ min: 1, max: 60_000 }), each: fc.integer({ min: 1, max: 40 }) })
  .map(({ lines, each }) => {
    const line = `%{ for i in range(${each}) }\${i}%%{ not }$\${not}%{ endfor }%{ if strlen("\${local.lines}") > 0 }y%{ endif }`;
    return caseOf(
      'directives',
      `${lines} heredoc lines, each a for over range(${each}) (${lines * each} iterations)`,
      jobFile({
        top: `locals {\n  lines = ${lines}\n}\n`,
        meta: meta(`<<EOT\n${Array.from({ length: lines }, () => line).join('\n')}\nEOT\n`),
      }),
    );
  });

export const directivesCase: fc.Arbitrary<HostileCase> = fc.oneof(
  { arbitrary: nestedDirectives, weight: 4 },
  { arbitrary: manyDirectiveLines, weight: 1 },
);

// ---- deep nesting ---------------------------------------------------------------------------------------

const OPENERS: Readonly<Record<string, readonly [string, string]>> = {
  brackets: ['[', ']'],
  objects: ['{ a = ', ' }'],
  parentheses: ['(', ')'],
  calls: ['abs(', ')'],
  'call arguments': ['max(1, ', ')'],
  minus: ['-', ''],
  not: ['!', ''],
  templates: ['"${', '}"'],
  conditionals: ['true ? ', ' : 0'],
  'for expressions': ['[for x in [1] : ', ']'],
  'object for expressions': ['{ for k in ["k"] : k => ', ' }'],
  'try calls': ['try(', ', 0)'],
};

const BLOCK_OPENERS: Readonly<Record<string, string>> = {
  'group blocks': '    group "g" {\n',
  'config blocks': '        nested {\n',
  'dynamic blocks': '    dynamic "nested" {\n      for_each = [1]\n      content {\n',
  'labelled blocks': '    x "y" "z" {\n',
};

const truncations = ['closed', 'unclosed', 'cut'] as const;

function shaped(open: string, close: string, how: (typeof truncations)[number], cut: number): string {
  if (how === 'unclosed') return open;
  const whole = open + close;
  return how === 'cut' ? whole.slice(0, (cut % whole.length) + 1) : whole;
}

const nestedExpression = fc
  .record({
    kinds: fc.subarray(Object.keys(OPENERS), { minLength: 1, maxLength: 3 }),
    depth: depthAroundLimit,
    where: fc.constantFrom('meta', 'local', 'variable default', 'NOMAD_VAR value', 'for_each'),
    how: fc.constantFrom(...truncations),
    cut: fc.nat(),
  })
  .map(({ kinds, depth, where, how, cut }) => {
    const levels = Array.from({ length: depth }, (_, i) => OPENERS[kinds[i % kinds.length]!]!);
    const open = levels.map(([o]) => o).join('') + '1';
    const close = levels
      .map(([, c]) => c)
      .reverse()
      .join('');
    const expr = shaped(open, close, how, cut);
    const label = `${kinds.join(' + ')} ${depth} deep in a ${where}, ${how}`;
    return nestedAt(where, expr, label);
  });

function nestedAt(where: string, expr: string, label: string): HostileCase {
  switch (where) {
    case 'local':
      return caseOf(
        'nesting',
        label,
        jobFile({ top: `locals {\n  deep = ${expr}\n}\n`, meta: meta('jsonencode(local.deep)') }),
      );
    case 'variable default':
      return caseOf(
        'nesting',
        label,
        jobFile({ top: `variable "deep" {\n  default = ${expr}\n}\n`, meta: meta('jsonencode(var.deep)') }),
      );
    case 'NOMAD_VAR value':
      return caseOf(
        'nesting',
        label,
        jobFile({ top: 'variable "deep" {\n  type = list(any)\n}\n', meta: meta('jsonencode(var.deep)') }),
        { env: { NOMAD_VAR_deep: expr } },
      );
    case 'for_each':
      return caseOf(
        'nesting',
        label,
        jobFile({
          group: `    dynamic "constraint" {\n      for_each = ${expr}\n      content {\n        attribute = "x"\n      }\n    }\n`,
        }),
      );
    default:
      return caseOf('nesting', label, jobFile({ meta: meta(`jsonencode(${expr})`) }));
  }
}

const nestedBlocks = fc
  .record({
    kind: fc.constantFrom(...Object.keys(BLOCK_OPENERS)),
    depth: depthAroundLimit,
    how: fc.constantFrom(...truncations),
    cut: fc.nat(),
  })
  .map(({ kind, depth, how, cut }) => {
    const opener = BLOCK_OPENERS[kind]!;
    const closer = '}\n'.repeat(opener.split('{').length - 1);
    const blocks = shaped(opener.repeat(depth), closer.repeat(depth), how, cut);
    const parts =
      kind === 'config blocks'
        ? { config: blocks }
        : kind === 'group blocks'
          ? { job: blocks }
          : { group: blocks };
    return caseOf('nesting', `${kind} ${depth} deep, ${how}`, jobFile(parts));
  });

const CHAINS: Readonly<Record<string, (n: number) => string>> = {
  operators: (n) => `${'1 + 2 * '.repeat(n)}1`,
  comparisons: (n) => `${'1 == '.repeat(n)}1`,
  'logical operators': (n) => `${'true && false || '.repeat(n)}true`,
  'index chains': (n) => `local.deep${'[0]'.repeat(n)}`,
  'attribute chains': (n) => `local.deep${'.a'.repeat(n)}`,
  splats: (n) => `local.deep${'[*]'.repeat(n)}`,
};

const longChains = fc
  .record({ kind: fc.constantFrom(...Object.keys(CHAINS)), length: depthAroundLimit })
  .map(({ kind, length }) =>
    caseOf(
      'nesting',
      `${kind} ${length} long`,
      jobFile({ top: 'locals {\n  deep = [[[1]]]\n}\n', meta: meta(`jsonencode(${CHAINS[kind]!(length)})`) }),
    ),
  );

const nestedJson = fc
  .record({
    opener: fc.constantFrom('{"a": ', '['),
    depth: depthAroundLimit,
    how: fc.constantFrom(...truncations),
    cut: fc.nat(),
  })
  .map(({ opener, depth, how, cut }) => {
    const closer = opener === '[' ? ']' : '}';
    const value = shaped(opener.repeat(depth) + '1', closer.repeat(depth), how, cut);
    const source = `{"Job": {"ID": "deep", "Meta": {"a": "1"}, "Affinities": [${value}], "TaskGroups": [{"Name": "g", "Tasks": [{"Name": "t", "Driver": "raw_exec"}]}]}}`;
    return caseOf('nesting', `JSON ${opener.trim()} ${depth} deep, ${how}`, source, {
      fileName: 'job.nomad.json',
    });
  });

export const nestingCase: fc.Arbitrary<HostileCase> = fc.oneof(
  { arbitrary: nestedExpression, weight: 4 },
  { arbitrary: nestedBlocks, weight: 2 },
  { arbitrary: longChains, weight: 2 },
  { arbitrary: nestedJson, weight: 1 },
);

// ---- prototype names ------------------------------------------------------------------------------------

const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  '__lookupSetter__',
  'propertyIsEnumerable',
] as const;

/** Every place a name can go in a job file, each as the parts of the file that put it there. */
const PLACES: Readonly<Record<string, (name: string) => JobParts>> = {
  'job attribute': (n) => ({ job: `  ${n} = 1\n` }),
  'group attribute': (n) => ({ group: `    ${n} = 1\n` }),
  'meta key': (n) => ({ meta: meta('"x"', n) }),
  'quoted meta key': (n) => ({ meta: meta('"y"', `"${n}"`) }),
  'env key': (n) => ({ task: `      env {\n        ${n} = "x"\n      }\n` }),
  'config key': (n) => ({ config: `        ${n} = { polluted = 1 }\n` }),
  'job label': (n) => ({ jobId: n }),
  'group label': (n) => ({ groupName: n }),
  'task label': (n) => ({ taskName: n }),
  'block type': (n) => ({ task: `      ${n} {\n      }\n` }),
  'dynamic block': (n) => ({
    task: `      dynamic "${n}" {\n        for_each = [1]\n        content {}\n      }\n`,
  }),
  'variable name': (n) => ({
    top: `variable "${n}" {\n  default = { polluted = 1 }\n}\n`,
    meta: meta(`jsonencode(var.${n})`, 'v'),
  }),
  'typed variable set by NOMAD_VAR': (n) => ({
    top: `variable "${n}" {\n  type = any\n}\n`,
    meta: meta(`jsonencode(var.${n})`, 'e'),
  }),
  'local name': (n) => ({
    top: `locals {\n  ${n} = { polluted = 1 }\n}\n`,
    meta: meta(`jsonencode(local.${n})`, 'l'),
  }),
  'undeclared local': (n) => ({ meta: meta(`local.${n}`, 'u') }),
  'undeclared variable': (n) => ({ meta: meta(`var.${n}`, 'w') }),
  'object key': (n) => ({ meta: meta(`jsonencode({ ${n} = { z = 1 } })`, 'o') }),
  'quoted object key': (n) => ({ meta: meta(`{ "${n}" = "v" }["${n}"]`, 'q') }),
  'attribute access': (n) => ({ meta: meta(`jsonencode({ a = 1 }.${n})`, 'r') }),
  'index access': (n) => ({ meta: meta(`jsonencode({ a = 1 }["${n}"])`, 'i') }),
  lookup: (n) => ({ meta: meta(`lookup({ a = 1 }, "${n}", "none")`, 'k') }),
  'function name': (n) => ({ meta: meta(`${n}("a")`, 'f') }),
  'for expression key': (n) => ({ meta: meta(`jsonencode({ for k in ["${n}"] : k => { p = 1 } })`, 'fk') }),
  merge: (n) => ({ meta: meta(`jsonencode(merge({ "${n}" = { q = 1 } }, { a = 1 }))`, 'm') }),
  zipmap: (n) => ({ meta: meta(`jsonencode(zipmap(["${n}"], [{ a = 1 }]))`, 'z') }),
  jsondecode: (n) => ({ meta: meta(`jsonencode(jsondecode("{\\"${n}\\": {\\"polluted\\": 1}}"))`, 'j') }),
  yamldecode: (n) => ({ meta: meta(`jsonencode(yamldecode("${n}:\\n  polluted: 1\\n"))`, 'y') }),
  'named regex group': (n) => ({ meta: meta(`regex_replace("a", "(?P<${n}>a)", "$\${${n}}")`, 'g') }),
  splat: (n) => ({ meta: meta(`jsonencode([{ ${n} = 1 }][*].${n})`, 's') }),
  keys: (n) => ({ meta: meta(`jsonencode([keys({ "${n}" = 1 }), values({ "${n}" = 2 })])`, 'kv') }),
};

// Each place once: a second meta key or env block of the same name would stop the file at a parse error.
const prototypeHcl = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...Object.keys(PLACES)), fc.constantFrom(...PROTOTYPE_NAMES)), {
    minLength: 1,
    maxLength: 6,
    selector: ([place]) => place,
  })
  .map((uses) => {
    const parts = uses.map(([place, name]) => PLACES[place]!(name));
    const env = Object.fromEntries(
      uses
        .filter(([place]) => place === 'typed variable set by NOMAD_VAR')
        .map(([, name]) => [`NOMAD_VAR_${name}`, '{ polluted = 1, __proto__ = { deep = 1 } }']),
    );
    return caseOf(
      'prototype',
      uses.map(([place, name]) => `${name} as ${place}`).join(', '),
      jobFile(mergeParts(parts)),
      { env },
    );
  });

const prototypeJson = fc.constantFrom(...PROTOTYPE_NAMES).map((n) => {
  const task = `{"Name": "${n}", "Driver": "raw_exec", "Config": {"${n}": {"polluted": 1}}, "Env": {"${n}": "x"}}`;
  const source = `{"Job": {"ID": "${n}", "${n}": {"polluted": 1}, "Meta": {"${n}": "x"}, "TaskGroups": [{"Name": "${n}", "${n}": 1, "Tasks": [${task}]}]}}`;
  return caseOf('prototype', `${n} as every JSON key`, source, { fileName: 'job.nomad.json' });
});

export const prototypeCase: fc.Arbitrary<HostileCase> = fc.oneof(
  { arbitrary: prototypeHcl, weight: 5 },
  { arbitrary: prototypeJson, weight: 1 },
);

// ---- special files --------------------------------------------------------------------------------------

interface Target {
  readonly path: string;
  readonly fixtures: readonly Fixture[];
}

const SYSTEM_PATHS = [
  '/dev/zero',
  '/dev/random',
  '/dev/urandom',
  '/dev/null',
  '/dev/full',
  '/dev/stdin',
  '/proc/kmsg',
  '/proc/self/mem',
  '/proc/self/pagemap',
  '/proc/self/environ',
  '/proc/self/fd/0',
  '/proc/self/maps',
  '/proc',
  '/',
] as const;

const at = (path: string, ...fixtures: Fixture[]): Target => ({ path, fixtures });

const target: fc.Arbitrary<Target> = fc.oneof(
  fc.constantFrom(...SYSTEM_PATHS).map((path) => at(path)),
  fc.constant(at('pipe', { type: 'fifo', name: 'pipe' })),
  fc
    .constantFrom(10 * MiB - 1, 10 * MiB, 10 * MiB + 1, 2 ** 31, 2 ** 40)
    .map((bytes) => at('sparse.bin', { type: 'sparse', name: 'sparse.bin', bytes })),
  fc
    .record({ depth: fc.integer({ min: 1, max: 300 }), width: fc.integer({ min: 1, max: 300 }) })
    .map(({ depth, width }) => at('tree', { type: 'tree', name: 'tree', depth, width })),
  fc.constantFrom(
    at('zero-link', { type: 'symlink', name: 'zero-link', target: '/dev/zero' }),
    at('loop', { type: 'symlink', name: 'loop', target: 'loop' }),
    at('dangling', { type: 'symlink', name: 'dangling', target: 'nowhere' }),
    at('here', { type: 'symlink', name: 'here', target: '.' }),
  ),
  fc.constantFrom(at('no/such/file'), at('job.nomad.hcl'), at('.')),
);

const FILE_USES: Readonly<Record<string, (path: string) => string>> = {
  file: (p) => `file("${p}")`,
  filebase64: (p) => `filebase64("${p}")`,
  fileexists: (p) => `fileexists("${p}")`,
  'fileset of it': (p) => `jsonencode(fileset("${p}", "*"))`,
  'fileset of it, everything below': (p) => `jsonencode(fileset("${p}", "**"))`,
  'fileset pattern': (p) => `jsonencode(fileset(".", "${p}"))`,
  templatefile: (p) => `templatefile("${p}", {})`,
  'length of file': (p) => `length(file("${p}"))`,
  'sha256 of filebase64': (p) => `sha256(filebase64("${p}"))`,
  'yamldecode of file': (p) => `jsonencode(yamldecode(file("${p}")))`,
  'jsondecode of file': (p) => `jsonencode(jsondecode(file("${p}")))`,
  'base64decode of filebase64': (p) => `base64decode(filebase64("${p}"))`,
  'csvdecode of file': (p) => `jsonencode(csvdecode(file("${p}")))`,
  abspath: (p) => `abspath("${p}")`,
};

export const specialFilesCase: fc.Arbitrary<HostileCase> = fc
  .array(fc.tuple(target, fc.constantFrom(...Object.keys(FILE_USES)), fc.integer({ min: 1, max: 30 })), {
    minLength: 1,
    maxLength: 3,
  })
  .map((reads) => {
    const lines = reads.flatMap(([t, use, copies], r) =>
      Array.from({ length: copies }, (_, i) => meta(FILE_USES[use]!(t.path), `read${r}_${i}`)),
    );
    const fixtures = reads.flatMap(([t]) => t.fixtures);
    const unique = [...new Map(fixtures.map((f) => [f.name, f])).values()];
    return caseOf(
      'special-files',
      reads.map(([t, use, copies]) => `${use} of ${describeTarget(t)} ×${copies}`).join(', '),
      jobFile({ meta: lines.join('') }),
      { fixtures: unique, allowFilesystem: true },
    );
  });

function describeTarget(t: Target): string {
  const fixture = t.fixtures[0];
  if (!fixture) return t.path;
  if (fixture.type === 'sparse') return `a sparse file of ${fixture.bytes} bytes`;
  if (fixture.type === 'tree') return `a tree ${fixture.depth} deep, ${fixture.width} wide`;
  if (fixture.type === 'symlink') return `a symlink to ${fixture.target}`;
  return 'a FIFO';
}

// ---- huge values ----------------------------------------------------------------------------------------

const bigWidth = fc.oneof(
  fc.integer({ min: 999_000, max: 1_001_000 }),
  fc.constantFrom(1_000_000, 1_000_001, 2 ** 31, 2 ** 53, 10 ** 20),
  fc.integer({ min: 1, max: 2000 }),
);
const VERBS = ['d', 's', 'f', 'e', 'g', 'x', 'q', 'v', 't', 'b', 'o', 'X', 'E'] as const;

const formatValue = fc
  .record({
    verb: fc.constantFrom(...VERBS),
    width: bigWidth,
    precision: fc.option(bigWidth),
    left: fc.boolean(),
  })
  .map(({ verb, width, precision, left }) => {
    const spec = `%${left ? '-' : ''}${width}${precision === null ? '' : `.${precision}`}${verb}`;
    return [
      `format("${spec}")`,
      `format("${spec}", ${verb === 's' || verb === 'q' ? '"abc"' : '1.5'})`,
    ] as const;
  });

const EXPONENTS = [400, 999_999, 1_000_001, 3_300_000, 3_400_000, 999_999_999] as const;
const NUMBER_CONTEXTS: Readonly<Record<string, (n: string) => string>> = {
  'meta string': (n) => n,
  interpolation: (n) => `"\${${n}}"`,
  ceil: (n) => `ceil(${n})`,
  floor: (n) => `floor(${n})`,
  'times itself': (n) => `${n} * ${n}`,
  'divided by three': (n) => `${n} / 3`,
  modulo: (n) => `${n} % 7`,
  'format %d': (n) => `format("%d", ${n})`,
  'format %f': (n) => `format("%f", ${n})`,
  'format %e': (n) => `format("%.50e", ${n})`,
  jsonencode: (n) => `jsonencode(${n})`,
  yamlencode: (n) => `yamlencode([${n}])`,
  comparison: (n) => `${n} > 1`,
  'group count': (n) => n,
  max: (n) => `max(${n}, 1)`,
};

const hugeNumber = fc
  .record({
    exponent: fc.oneof(fc.constantFrom(...EXPONENTS), fc.integer({ min: 300, max: 4_000_000 })),
    negative: fc.boolean(),
    context: fc.constantFrom(...Object.keys(NUMBER_CONTEXTS)),
  })
  .map(({ exponent, negative, context }) => {
    const n = `1e${negative ? '-' : ''}${exponent}`;
    const expr = NUMBER_CONTEXTS[context]!(n);
    const parts = context === 'group count' ? { group: `    count = ${expr}\n` } : { meta: meta(expr) };
    return caseOf('huge-values', `${n} as ${context}`, jobFile(parts));
  });

const DIGIT_CONTEXTS: Readonly<Record<string, (d: string) => string>> = {
  literal: (d) => d,
  'parseint base 10': (d) => `parseint("${d}", 10)`,
  'parseint base 62': (d) => `parseint("${d}", 62)`,
  'parseint base 2': (d) => `parseint("${d.replace(/[^01]/g, '1')}", 2)`,
  product: (d) => `${d} * ${d}`,
  'decimal fraction': (d) => `0.${d}`,
  'format %x': (d) => `format("%x", ${d})`,
  'job priority': (d) => d,
};

const manyDigits = fc
  .record({
    digits: fc.oneof(fc.integer({ min: 50_000, max: 100_000 }), fc.integer({ min: 100_000, max: 4_000_000 })),
    context: fc.constantFrom(...Object.keys(DIGIT_CONTEXTS)),
  })
  .map(({ digits, context }) => {
    const d = '7'.repeat(digits);
    const expr = DIGIT_CONTEXTS[context]!(d);
    const parts = context === 'job priority' ? { job: `  priority = ${expr}\n` } : { meta: meta(expr) };
    return caseOf('huge-values', `a number of ${digits} digits as ${context}`, jobFile(parts));
  });

const STRING_FUNCTIONS: Readonly<Record<string, (s: string) => string>> = {
  literal: (s) => s,
  upper: (s) => `upper(${s})`,
  strrev: (s) => `strrev(${s})`,
  title: (s) => `title(${s})`,
  'split into characters': (s) => `jsonencode(split("", ${s}))`,
  'replace each character': (s) => `replace(${s}, "x", "yy")`,
  substr: (s) => `substr(${s}, 1, -1)`,
  indent: (s) => `indent(999999, ${s})`,
  'formatlist width': (s) => `jsonencode(formatlist("%999999s", split("", ${s})))`,
  sha512: (s) => `sha512(${s})`,
  base64encode: (s) => `base64encode(${s})`,
  chunklist: (s) => `jsonencode(chunklist(split("", ${s}), 1))`,
};

const longString = fc
  .record({
    length: fc.oneof(fc.integer({ min: 1000, max: 100_000 }), fc.integer({ min: 100_000, max: 8_000_000 })),
    lineEvery: fc.option(fc.integer({ min: 1, max: 80 })),
    fn: fc.constantFrom(...Object.keys(STRING_FUNCTIONS)),
  })
  .map(({ length, lineEvery, fn }) => {
    const line = 'x'.repeat(lineEvery ?? length);
    // Each line end is two characters (\n in the string): the file stays under 10 MB.
    const lines = Math.min(Math.ceil(length / line.length), Math.floor(9_000_000 / (line.length + 2)));
    const text = `"${Array.from({ length: lines }, () => line).join('\\n')}"`;
    return caseOf(
      'huge-values',
      `a string of ${length} characters${lineEvery ? ` in lines of ${lineEvery}` : ''} through ${fn}`,
      jobFile({ meta: meta(STRING_FUNCTIONS[fn]!(text)) }),
    );
  });

interface Many {
  /** About the bytes each one takes in the file: the count stays under a 10 MB file. */
  readonly bytes: number;
  readonly parts: (n: number) => JobParts;
}

const MANY: Readonly<Record<string, Many>> = {
  interpolations: { bytes: 4, parts: (n) => ({ meta: meta(`"${'${1}'.repeat(n)}"`) }) },
  groups: {
    bytes: 75,
    parts: (n) => ({
      job: Array.from(
        { length: n },
        (_, i) => `  group "g${i}" {\n    task "t" {\n      driver = "raw_exec"\n    }\n  }\n`,
      ).join(''),
    }),
  },
  'meta keys': {
    bytes: 24,
    parts: (n) => ({ meta: Array.from({ length: n }, (_, i) => meta(`"${i}"`, `k${i}`)).join('') }),
  },
  'constraint blocks': {
    bytes: 90,
    parts: (n) => ({
      group:
        '    constraint {\n      attribute = "${attr.kernel.name}"\n      value     = "linux"\n    }\n'.repeat(
          n,
        ),
    }),
  },
  locals: {
    bytes: 32,
    parts: (n) => ({
      top: `locals {\n${Array.from({ length: n }, (_, i) => `  l${i} = ${i === 0 ? 1 : `local.l${i - 1} + 1`}\n`).join('')}}\n`,
      meta: meta(`local.l${n - 1}`),
    }),
  },
  'unknown functions': {
    bytes: 28,
    parts: (n) => ({ meta: Array.from({ length: n }, (_, i) => meta(`nosuch${i}()`, `k${i}`)).join('') }),
  },
  'unknown attributes': {
    bytes: 22,
    parts: (n) => ({ group: Array.from({ length: n }, (_, i) => `    nosuch${i} = 1\n`).join('') }),
  },
  'duplicate meta keys': { bytes: 15, parts: (n) => ({ meta: meta('"x"', 'same').repeat(n) }) },
  'syntax errors': { bytes: 12, parts: (n) => ({ meta: '    a = = =\n'.repeat(n) }) },
  'list items': { bytes: 2, parts: (n) => ({ meta: meta(`jsonencode([${'1,'.repeat(n)}])`) }) },
  'objects in a list': { bytes: 6, parts: (n) => ({ meta: meta(`jsonencode([${'{a=1},'.repeat(n)}])`) }) },
  'duplicate attributes': { bytes: 14, parts: (n) => ({ group: '    count = 1\n'.repeat(n) }) },
};

const manyThings = fc
  .constantFrom(...Object.keys(MANY))
  .chain((what) =>
    fc
      .integer({ min: 1000, max: Math.floor(9_500_000 / MANY[what]!.bytes) })
      .map((count) => caseOf('huge-values', `${count} ${what}`, jobFile(MANY[what]!.parts(count)))),
  );

const LONG_NAMES: Readonly<Record<string, (name: string) => JobParts>> = {
  'function name': (n) => ({ meta: meta(`${n}()`) }),
  'attribute name': (n) => ({ group: `    ${n} = 1\n` }),
  'block type': (n) => ({ task: `      ${n} {\n      }\n` }),
  'meta key': (n) => ({ meta: meta('"x"', n) }),
  'job label': (n) => ({ jobId: n }),
  'variable reference': (n) => ({ meta: meta(`var.${n}`) }),
  'local reference': (n) => ({ top: 'locals {\n  a = 1\n}\n', meta: meta(`local.${n}`) }),
};

const longName = fc
  .record({
    where: fc.constantFrom(...Object.keys(LONG_NAMES)),
    length: fc.oneof(fc.integer({ min: 10_000, max: 200_000 }), fc.integer({ min: 200_000, max: 5_000_000 })),
  })
  .map(({ where, length }) =>
    caseOf(
      'huge-values',
      `a ${where} of ${length} characters`,
      jobFile(LONG_NAMES[where]!('n'.repeat(length))),
    ),
  );

export const hugeValuesCase: fc.Arbitrary<HostileCase> = fc.oneof(
  formatValue.map(([bare, spec]) =>
    caseOf('huge-values', spec, jobFile({ meta: meta(spec) + meta(bare, 'b') })),
  ),
  fc
    .record({ width: bigWidth, items: fc.integer({ min: 1, max: 5000 }) })
    .map(({ width, items }) =>
      caseOf(
        'huge-values',
        `formatlist("%${width}s") over ${items} items`,
        jobFile({ meta: meta(`jsonencode(formatlist("%${width}s", range(${items})))`) }),
      ),
    ),
  fc
    .record({ width: bigWidth, items: fc.integer({ min: 1, max: 5000 }) })
    .map(({ width, items }) =>
      caseOf(
        'huge-values',
        `format("%${width}d") in a for over ${items} items`,
        jobFile({ meta: meta(`join("", [for i in range(${items}) : format("%${width}d", i)])`) }),
      ),
    ),
  hugeNumber,
  manyDigits,
  longString,
  manyThings,
  longName,
);

// ---- odd bytes ------------------------------------------------------------------------------------------

/** Byte sequences UTF-8 does not allow: the file is refused at the first. */
const INVALID_UTF8: Readonly<Record<string, readonly number[]>> = {
  'byte FF': [0xff],
  'byte FE': [0xfe],
  'overlong NUL': [0xc0, 0x80],
  'encoded surrogate': [0xed, 0xa0, 0x80],
  'encoded lone low surrogate': [0xed, 0xbf, 0xbf],
  'past U+10FFFF': [0xf4, 0x90, 0x80, 0x80],
  'truncated sequence': [0xe2, 0x82],
  'stray continuation': [0x80],
};

/** Valid text that a reader may still trip on: NUL, BOMs, line ends of other kinds, controls, clusters. */
const ODD_CHARACTERS: Readonly<Record<string, string>> = {
  NUL: '\0',
  BOM: '\ufeff',
  CR: '\r',
  CRLF: '\r\n',
  'line separator': '\u2028',
  'paragraph separator': '\u2029',
  NEL: '\u0085',
  'vertical tab': '\v',
  'form feed': '\f',
  tab: '\t',
  escape: '\u001b',
  DEL: '\u007f',
  'right-to-left override': '\u202e',
  'zero-width joiner': '\u200d',
  'combining marks': `e${'\u0301'.repeat(50_000)}`,
  emoji: '👩‍👩‍👧‍👦',
  'noncharacter U+FFFF': '\uffff',
  'quote and dollar': '"${',
};

const oddBases = [
  jobFile({
    top: '# comment é\nvariable "v" {\n  default = "ünï"\n}\n',
    meta: meta('"text ${var.v}"') + meta('<<EOT\nline\nEOT\n', 'h') + meta('format("%-5s|", "é")', 'f'),
  }),
  jobFile({ meta: meta('substr("abc", 0, 2)') }),
];

const TEXT_CHANGES: Readonly<Record<string, (text: string) => string>> = {
  none: (t) => t,
  'CR-only line ends': (t) => t.replaceAll('\n', '\r'),
  'CRLF line ends': (t) => t.replaceAll('\n', '\r\n'),
  'BOM first': (t) => `\ufeff${t}`,
  'two BOMs first': (t) => `\ufeff\ufeff${t}`,
  'NUL between lines': (t) => t.replaceAll('\n', '\n\0'),
};

const ENCODINGS: Readonly<Record<string, (text: string) => Buffer>> = {
  'UTF-8': (t) => Buffer.from(t, 'utf8'),
  'UTF-16LE': (t) => Buffer.from(t, 'utf16le'),
  'Latin-1': (t) => Buffer.from(t, 'latin1'),
};

/** `chars` with `insert` before the character at `at` (modulo their number): never inside a character. */
const insertAt = <T>(chars: readonly T[], at: number, insert: readonly T[]): T[] => {
  const i = at % (chars.length + 1);
  return [...chars.slice(0, i), ...insert, ...chars.slice(i)];
};

export const oddBytesCase: fc.Arbitrary<HostileCase> = fc
  .record({
    base: fc.constantFrom(...oddBases.keys()),
    change: fc.constantFrom(...Object.keys(TEXT_CHANGES)),
    inserts: fc.array(fc.tuple(fc.constantFrom(...Object.keys(ODD_CHARACTERS)), fc.nat()), { maxLength: 8 }),
    encoding: fc.oneof(
      { arbitrary: fc.constant('UTF-8'), weight: 6 },
      { arbitrary: fc.constantFrom('UTF-16LE', 'Latin-1'), weight: 1 },
    ),
    // Mostly none: one invalid byte stops the reading before anything else in the file is met.
    invalid: fc.oneof(
      { arbitrary: fc.constant(null), weight: 3 },
      { arbitrary: fc.tuple(fc.constantFrom(...Object.keys(INVALID_UTF8)), fc.nat()), weight: 1 },
    ),
  })
  .map(({ base, change, inserts, encoding, invalid }) => {
    let chars = Array.from(TEXT_CHANGES[change]!(oddBases[base]!));
    for (const [what, at] of inserts) chars = insertAt(chars, at, Array.from(ODD_CHARACTERS[what]!));
    const byteOrderMark = encoding === 'UTF-16LE' ? [[0xff, 0xfe]] : [];
    const pieces = [...byteOrderMark, ...chars.map((c) => [...ENCODINGS[encoding]!(c)])];
    const bytes = invalid ? insertAt(pieces, invalid[1], [[...INVALID_UTF8[invalid[0]]!]]) : pieces;
    const inserted = [...inserts.map(([w]) => w), ...(invalid ? [invalid[0]] : [])];
    const label = `base ${base}, ${change}, ${encoding}, inserted: ${inserted.join(', ') || 'nothing'}`;
    return caseOf('odd-bytes', label, '', { source: Uint8Array.from(bytes.flat()) });
  });

// ---- catastrophic globs and regular expressions ---------------------------------------------------------

const GLOBS: Readonly<Record<string, (n: number) => string>> = {
  stars: (n) => `${'*'.repeat(n)}a`,
  'star a pairs': (n) => `${'a*'.repeat(n)}b`,
  'double-star segments': (n) => `${'**/'.repeat(n)}x`,
  'question marks': (n) => '?'.repeat(n),
  'character classes': (n) => '[a-z]'.repeat(n),
  'negated classes': (n) => '[!a]'.repeat(n),
  'unclosed classes': (n) => '['.repeat(n),
  braces: (n) => '{a,b}'.repeat(n),
  'unclosed braces': (n) => '{'.repeat(n),
  'nested braces': (n) => `${'{a,'.repeat(n)}b${'}'.repeat(n)}`,
  'star segments': (n) => '*/'.repeat(n),
  backslashes: (n) => '\\\\'.repeat(n),
};

const globCase = fc
  .record({
    glob: fc.constantFrom(...Object.keys(GLOBS)),
    count: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1000, max: 100_000 })),
    depth: fc.integer({ min: 1, max: 200 }),
    width: fc.integer({ min: 1, max: 200 }),
  })
  .map(({ glob, count, depth, width }) =>
    caseOf(
      'globs-regexes',
      `fileset of ${count} ${glob} over a tree ${depth} deep, ${width} wide`,
      jobFile({ meta: meta(`jsonencode(fileset(".", "${GLOBS[glob]!(count)}"))`) }),
      { fixtures: [{ type: 'tree', name: 'tree', depth, width }], allowFilesystem: true },
    ),
  );

const REGEXES: Readonly<Record<string, (n: number) => string>> = {
  'nested stars': () => '(a*)*b',
  'alternation star': () => '(a|a)*b',
  'nested pluses': () => '(a+)+$',
  'repeated dot-star groups': (n) => `(.*a){${Math.min(n, 1000)}}`,
  'huge repetition': (n) => `a{${n}}`,
  'repetition of repetition': () => '(a{1000}){1000}',
  'nested groups': (n) => `${'('.repeat(n)}a${')'.repeat(n)}`,
  'long alternation': (n) => Array.from({ length: n }, (_, i) => `a${i}`).join('|'),
  'many dot-stars': (n) => `${'.*'.repeat(n)}b`,
  'empty alternatives': (n) => '(|)'.repeat(n),
  'unclosed class': () => '[a',
  lookahead: () => '(?=a)a',
  backreference: () => '(a)\\\\1',
  'unicode classes': (n) => '\\\\p{Greek}'.repeat(n),
  'empty match': () => '',
};

const regexCase = fc
  .record({
    regex: fc.constantFrom(...Object.keys(REGEXES)),
    n: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1000, max: 50_000 })),
    subject: fc.oneof(fc.integer({ min: 10, max: 100 }), fc.integer({ min: 10_000, max: 2_000_000 })),
    form: fc.constantFrom('regex_replace', 'replace with /regex/', 'constraint regexp'),
    replacement: fc.constantFrom('x', '$1', '$${1}'.repeat(1000), '$$'),
  })
  .map(({ regex, n, subject, form, replacement }) => {
    const pattern = REGEXES[regex]!(n);
    const text = `"${'a'.repeat(subject)}"`;
    const label =
      form === 'constraint regexp'
        ? `constraint regexp: ${regex} (n ${n})`
        : `${form}: ${regex} (n ${n}) over ${subject} characters, replacement ${replacement.slice(0, 8)}`;
    if (form === 'constraint regexp')
      return caseOf(
        'globs-regexes',
        label,
        jobFile({
          group: `    constraint {\n      attribute = "\${attr.kernel.name}"\n      operator  = "regexp"\n      value     = "${pattern}"\n    }\n`,
        }),
      );
    const call =
      form === 'regex_replace'
        ? `regex_replace(${text}, "${pattern}", "${replacement}")`
        : `replace(${text}, "/${pattern}/", "${replacement}")`;
    return caseOf('globs-regexes', label, jobFile({ meta: meta(`strlen(${call})`) }));
  });

export const globsRegexesCase: fc.Arbitrary<HostileCase> = fc.oneof(globCase, regexCase);

export const hostileCases: Readonly<Record<HostileKind, fc.Arbitrary<HostileCase>>> = {
  expansion: expansionCase,
  directives: directivesCase,
  nesting: nestingCase,
  prototype: prototypeCase,
  'special-files': specialFilesCase,
  'huge-values': hugeValuesCase,
  'odd-bytes': oddBytesCase,
  'globs-regexes': globsRegexesCase,
};
