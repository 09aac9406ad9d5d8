/**
 * The estate a project declares beside its jobs, offline: namespaces, node pools, ACL policies and roles, and Nomad
 * Variables, from drover.hcl and the files its `include` names, in the API shapes Nomad's endpoints take. Those
 * files share one scope, as the parts of a job file do: `variable` blocks (values from the project's var files,
 * --var-file, --var and NOMAD_VAR_*, as for job files), `locals`, and the job files' functions; file() paths are
 * relative to drover.hcl. Every problem is a diagnostic at its position; a variable's item values never appear in
 * one (estate/nomad-variable.ts).
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { NamespaceSpec } from '../nomad/endpoints/namespaces.js';
import type { NodePoolSpec } from '../nomad/endpoints/node-pools.js';
import type { AclPolicySpec, AclRoleSpec } from '../nomad/endpoints/acl.js';
import { appendAll } from '../util/append-all.js';
import { shownPath } from '../util/shown-path.js';
import { discoverHclFiles } from './discover.js';
import type { Attribute, Block, Body, Expression } from './hcl/ast.js';
import { readClustersArgument } from './cluster-blocks.js';
import { error, hasErrors, suggest, type Diagnostic, type Range } from './hcl/diagnostics.js';
import { MAX_ELEMENTS, type EvalContext } from './hcl/evaluate.js';
import { jobspecFunctions } from './hcl/functions.js';
import { parseHcl } from './hcl/parser.js';
import type { Value } from './hcl/types.js';
import { weightOf } from './hcl/value-weight.js';
import { DecodingStopped, MAX_DECODE_ERRORS } from './jobspec/decode.js';
import { evaluateLocals } from './jobspec/locals.js';
import { declareVariables, resolveVariables, type VariableInputs } from './jobspec/variables.js';
import type { ProjectDocument } from './project-file.js';
import { decodeSourceText, encodingProblem } from './source-text.js';
import { ESTATE_BLOCK_TYPES, type EstateBlockType } from './estate/block-types.js';
import { readBlock } from './estate/blocks.js';
import type { DecodeState } from './estate/decode-body.js';
import { readNomadVariable, type VariableSpec } from './estate/nomad-variable.js';
import { readCheckBlocks, type CheckDeclaration } from './estate/check-blocks.js';

export type { VariableSpec } from './estate/nomad-variable.js';
export type { CheckAssertion, CheckDeclaration } from './estate/check-blocks.js';
export { ESTATE_BLOCK_TYPES, type EstateBlockType } from './estate/block-types.js';

/** One object the project declares. */
export interface Declaration<S> {
  readonly spec: S;
  /** Where its block starts, "file:line:column", the file named as drover names files (relative to where it runs). */
  readonly at: string;
  /**
   * The Enterprise-only settings it uses, each where it is set: open-source Nomad refuses the object as unlicensed
   * (a namespace's quota, node_pool_config, vault and consul; a node pool's scheduler_config).
   */
  readonly enterpriseOnly: readonly { readonly name: string; readonly at: string }[];
  /** The clusters it goes to (its `clusters` argument); undefined: every cluster. */
  readonly clusters?: readonly string[];
}

export interface EstateDeclarations {
  readonly namespaces: readonly Declaration<NamespaceSpec>[];
  readonly nodePools: readonly Declaration<NodePoolSpec>[];
  readonly aclPolicies: readonly Declaration<AclPolicySpec>[];
  readonly aclRoles: readonly Declaration<AclRoleSpec>[];
  /** Their items are secrets: never print them. */
  readonly variables: readonly Declaration<VariableSpec>[];
  /** Every problem found. With an error among them, the lists above are empty: nothing half-read is planned. */
  readonly diagnostics: readonly Diagnostic[];
  /** The texts of the files the diagnostics point into, by the name they show. */
  readonly sources: ReadonlyMap<string, string>;
  /** drover.hcl and each file it includes, as diagnostics name them. */
  readonly files: readonly string[];
  /** The input variables these files declare: a --var or var file value for one of them is not a stray. */
  readonly declaredVariables: readonly string[];
  /**
   * The checks these files declare (those read, beside any error: a plan is refused then), their conditions read
   * `plan`, var and local.
   */
  readonly checks: readonly CheckDeclaration[];
  /** How many check blocks the files hold, read or not: a project with checks is never planned without them. */
  readonly checkBlocks: number;
  /** What a check's expressions read beside `plan`: the variables' values and the locals. */
  readonly checkScope: Readonly<Record<string, Value>>;
}

export interface EstateInputs {
  /** Where drover runs: files are named relative to it. */
  readonly cwd: string;
  /** The namespace of a nomad_variable that names none: the one jobs that name none are planned in. */
  readonly namespace: string;
  /** The variable values, asked for only when the files declare a variable (reading them may fail). */
  readonly values: () => VariableInputs;
}

/** What all the files' values may weigh together (value-weight.ts units, about bytes), as a job's may. */
const MAX_ESTATE_WEIGHT = 128 * 1024 * 1024;

const SCOPE_BLOCKS = ['variable', 'variables', 'locals'];

interface EstateFile {
  readonly shown: string;
  readonly body: Body;
}

/** The estate declared by drover.hcl (already read) and the files it includes. */
export function readEstate(document: ProjectDocument, inputs: EstateInputs): EstateDeclarations {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map([[document.shownAs, document.source]]);
  const files: EstateFile[] = [{ shown: document.shownAs, body: document.body }];
  appendAll(files, includedFiles(document, inputs.cwd, sources, diagnostics));
  const blocks = files.flatMap((f) => f.body.blocks);
  const checkBlocks = blocks.filter((b) => b.type === 'check');
  const result = (
    declared: Lists,
    declaredVariables: readonly string[] = [],
    checks: Pick<EstateDeclarations, 'checks' | 'checkScope'> = NO_CHECKS,
  ): EstateDeclarations => ({
    ...(hasErrors(diagnostics) ? NOTHING : declared),
    diagnostics,
    sources,
    files: files.map((f) => f.shown),
    declaredVariables,
    // Kept beside other errors, so that validate checks their expressions too; a plan refuses them all the same.
    ...checks,
    checkBlocks: checkBlocks.length,
  });
  const estate = blocks.filter((b) => (ESTATE_BLOCK_TYPES as readonly string[]).includes(b.type));
  if (
    hasErrors(diagnostics) ||
    (estate.length === 0 && checkBlocks.length === 0 && !blocks.some((b) => SCOPE_BLOCKS.includes(b.type)))
  )
    return result(NOTHING);

  const base: EvalContext = {
    variables: {},
    functions: jobspecFunctions(true),
    source: document.source,
    baseDir: document.project.dir,
    warnings: [],
    budget: { remaining: MAX_ELEMENTS },
    knownRootsOnly: true,
  };
  const declared = declareVariables(
    blocks.filter((b) => b.type === 'variable' || b.type === 'variables'),
    base,
    diagnostics,
  );
  const valueProblems: Diagnostic[] = [];
  const values =
    declared.size === 0
      ? {}
      : resolveVariables(declared, { ...inputs.values(), ignoreUndeclared: true }, base, valueProblems);
  // A var file's line may hold a value a variable item is made of: shown by name and position only.
  const own = new Set(files.map((f) => f.shown));
  const items = itemInputs(estate);
  appendAll(
    diagnostics,
    valueProblems.map((d) => unsetItem(own.has(d.range.file) ? d : { ...d, hidesLine: true }, items)),
  );
  const locals = evaluateLocals(
    blocks.filter((b) => b.type === 'locals'),
    { ...base, variables: { var: values } },
    diagnostics,
  );
  const declaredVariables = [...declared.keys()];
  if (hasErrors(diagnostics)) return result(NOTHING, declaredVariables);

  const scope = { var: values, local: locals };
  const read = readDeclarations(
    estate,
    { ...base, variables: scope },
    { ...inputs, clusters: (document.project.clusters ?? []).map((c) => c.name) },
    sources,
  );
  const checks = readCheckBlocks(checkBlocks, { ...base, variables: scope }, (d) => diagnostics.push(d));
  appendAll(diagnostics, hideItemLines([...base.warnings, ...read.diagnostics], estate));
  return result(read.declared, declaredVariables, { checks, checkScope: scope });
}

const NO_CHECKS = { checks: [], checkScope: {} } as const;

const NOTHING = {
  namespaces: [],
  nodePools: [],
  aclPolicies: [],
  aclRoles: [],
  variables: [],
} as const;

type Lists = Pick<EstateDeclarations, 'namespaces' | 'nodePools' | 'aclPolicies' | 'aclRoles' | 'variables'>;

const LIST_OF: Readonly<Record<EstateBlockType, keyof Lists>> = {
  namespace: 'namespaces',
  node_pool: 'nodePools',
  acl_policy: 'aclPolicies',
  acl_role: 'aclRoles',
  nomad_variable: 'variables',
};

/** Each estate block read in file order; names that repeat within a kind, and too much, refused. */
function readDeclarations(
  estate: readonly Block[],
  ctx: EvalContext,
  inputs: EstateInputs & { readonly clusters: readonly string[] },
  sources: Map<string, string>,
): { declared: Lists; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const declared = { namespaces: [], nodePools: [], aclPolicies: [], aclRoles: [], variables: [] } as {
    [K in keyof Lists]: Array<Lists[K][number]>;
  };
  let weight = 0;
  let errors = 0;
  const state: DecodeState = {
    eval: ctx,
    report: (diagnostic) => {
      diagnostics.push(diagnostic);
      if (diagnostic.severity === 'error') errors++;
      if (diagnostics.length >= MAX_DECODE_ERRORS)
        throw new DecodingStopped(
          error(
            diagnostic.range,
            'Too many errors',
            `Reading stopped after ${MAX_DECODE_ERRORS.toLocaleString('en-US')} errors: fix these first.`,
          ),
        );
    },
    weigh: (value: Value) => {
      weight += weightOf(value);
    },
    fileOf: (expr, text) => {
      const path = wholeFile(expr);
      if (path === undefined) return undefined;
      const shown = shownPath(isAbsolute(path) ? path : join(ctx.baseDir!, path), inputs.cwd);
      sources.set(shown, text);
      return shown;
    },
  };
  const seen = new Map<string, string>();
  try {
    for (const declaredBlock of estate) {
      const type = declaredBlock.type as EstateBlockType;
      const clustersAttr = declaredBlock.body.attributes.find((a) => a.name === 'clusters');
      const clusters = clustersAttr && readClustersArgument(clustersAttr, ctx, inputs.clusters, diagnostics);
      const block = clustersAttr ? withoutAttribute(declaredBlock, clustersAttr) : declaredBlock;
      const label = block.labels[0];
      if (!label || block.labels.length > 1) {
        state.report(labelProblem(block, type));
        continue;
      }
      const errorsBefore = errors;
      const at = position(block.typeRange);
      const variable =
        type === 'nomad_variable'
          ? readNomadVariable(block, label.value, inputs.namespace, state)
          : undefined;
      const object = type === 'nomad_variable' ? undefined : readBlock(type, block, label.value, state);
      if (weight > MAX_ESTATE_WEIGHT) {
        state.report(
          error(
            block.typeRange,
            'Declarations too large',
            `The values declared so far come to about ${Math.round(weight / 1024 / 1024)} MiB, past drover's bound of ${MAX_ESTATE_WEIGHT / 1024 / 1024} MiB for a project's estate. Declare fewer or smaller values.`,
          ),
        );
        break;
      }
      const key = variable
        ? `${type} ${JSON.stringify(label.value)} in namespace ${JSON.stringify(variable.namespace)}`
        : `${type} ${JSON.stringify(label.value)}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        state.report(
          error(
            label.range,
            `Duplicate ${type} "${label.value}"`,
            `${key} is already declared at ${earlier}; declare it once.`,
          ),
        );
        continue;
      }
      seen.set(key, at);
      const spec = variable ? variable.spec : object?.fields;
      if (spec === undefined || errors > errorsBefore) continue;
      (declared[LIST_OF[type]] as Array<Declaration<unknown>>).push({
        spec,
        at,
        enterpriseOnly: (object?.enterprise ?? []).map((e) => ({ name: e.name, at: position(e.range) })),
        ...(clusters ? { clusters } : {}),
      });
    }
  } catch (caught) {
    if (!(caught instanceof DecodingStopped)) throw caught;
    diagnostics.push(caught.diagnostic);
  }
  return { declared, diagnostics };
}

/** The block as its kind's reader sees it: `clusters` is drover's, not a field of the object. */
function withoutAttribute(block: Block, attr: Attribute): Block {
  return { ...block, body: { ...block.body, attributes: block.body.attributes.filter((a) => a !== attr) } };
}

function labelProblem(block: Block, type: string): Diagnostic {
  const what = type === 'nomad_variable' ? 'path' : 'name';
  if (block.labels.length === 0)
    return error(
      block.typeRange,
      `Missing ${what} for ${type}`,
      `A ${type} block takes one label, its ${what}: ${type} "${type === 'nomad_variable' ? 'nomad/jobs/api' : 'example'}" { … }.`,
    );
  return error(
    block.labels[1]!.range,
    `Extraneous label for ${type}`,
    `A ${type} block takes one label, its ${what}.`,
  );
}

/** The files `include` names (paths or globs relative to drover.hcl), read and parsed; drover.hcl itself left out. */
function includedFiles(
  document: ProjectDocument,
  cwd: string,
  sources: Map<string, string>,
  diagnostics: Diagnostic[],
): EstateFile[] {
  const attr = document.body.attributes.find((a) => a.name === 'include');
  if (!attr) return [];
  const found = new Map<string, Range>();
  document.include.forEach((pattern, i) => {
    const range =
      attr.expr.kind === 'tuple' ? (attr.expr.items[i]?.range ?? attr.expr.range) : attr.expr.range;
    try {
      for (const path of discoverHclFiles([pattern], document.project.dir))
        if (path !== resolve(document.project.path) && !found.has(path)) found.set(path, range);
    } catch (caught) {
      if (!(caught instanceof UserError)) throw caught;
      diagnostics.push(
        error(
          range,
          `Nothing to include for "${pattern}"`,
          `${caught.message}; include paths are relative to drover.hcl.`,
        ),
      );
    }
  });
  const files: EstateFile[] = [];
  for (const [path, range] of found) {
    const shown = shownPath(path, cwd);
    let source: string;
    try {
      source = decodeSourceText(readFileSync(path));
    } catch (caught) {
      diagnostics.push(error(range, `Cannot read ${shown}`, (caught as Error).message));
      continue;
    }
    sources.set(shown, source);
    const badEncoding = encodingProblem(source, shown);
    if (badEncoding) {
      diagnostics.push(badEncoding);
      continue;
    }
    const parsed = parseHcl(source, shown);
    appendAll(diagnostics, parsed.diagnostics);
    appendAll(diagnostics, includedProblems(parsed.body));
    files.push({ shown, body: parsed.body });
  }
  return files;
}

/** An included file holds estate, variable, locals and check blocks; settings and job blocks belong in drover.hcl. */
function includedProblems(body: Body): Diagnostic[] {
  const allowed = [...ESTATE_BLOCK_TYPES, ...SCOPE_BLOCKS, 'check'];
  const holds = `An included file holds ${ESTATE_BLOCK_TYPES.join(', ')}, variable, locals and check blocks`;
  return [
    ...body.attributes.map((attr) =>
      error(
        attr.nameRange,
        `Unsupported argument "${attr.name}" in an included file`,
        `${holds}; settings belong in drover.hcl.`,
      ),
    ),
    ...body.blocks
      .filter((block) => !allowed.includes(block.type))
      .map((block) => {
        const hint = suggest(block.type, allowed);
        return error(
          block.typeRange,
          `Unsupported block "${block.type}" in an included file`,
          hint
            ? `Did you mean "${hint}"?`
            : `${holds}${block.type === 'job' ? '; job blocks belong in drover.hcl' : ''}.`,
        );
      }),
  ];
}

/** Input variables that are, whole, an item's value: `db_password = var.api_db_password` under a nomad_variable. */
function itemInputs(estate: readonly Block[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const block of estate) {
    if (block.type !== 'nomad_variable' || !block.labels[0]) continue;
    const entries: Array<[string, Expression]> = [
      ...block.body.attributes
        .filter((a) => a.name === 'items' && a.expr.kind === 'object')
        .flatMap((a) =>
          a.expr.kind === 'object'
            ? a.expr.items.flatMap((i): Array<[string, Expression]> =>
                i.key.kind === 'variable' || (i.key.kind === 'literal' && typeof i.key.value === 'string')
                  ? [[i.key.kind === 'variable' ? i.key.name : String(i.key.value), i.value]]
                  : [],
              )
            : [],
        ),
      ...block.body.blocks
        .filter((b) => b.type === 'items')
        .flatMap((b) => b.body.attributes.map((a): [string, Expression] => [a.name, a.expr])),
    ];
    for (const [item, expr] of entries)
      if (expr.kind === 'getattr' && expr.target.kind === 'variable' && expr.target.name === 'var')
        found.set(expr.name, `item "${item}" of nomad_variable "${block.labels[0].value}"`);
  }
  return found;
}

/**
 * An unset variable that is an item's value: the message says so, and that nothing is written without it (drover
 * writes a variable's items whole: planning without the value would delete the item).
 */
function unsetItem(diagnostic: Diagnostic, items: ReadonlyMap<string, string>): Diagnostic {
  const name = /^Unset variable "(.*)"$/.exec(diagnostic.summary)?.[1];
  const item = name === undefined ? undefined : items.get(name);
  if (!item) return diagnostic;
  return {
    ...diagnostic,
    detail: `It is the value of ${item}: drover writes a variable's items whole, so it plans nothing until each value is given (it takes no value from Nomad, and deletes no item). Set it with --var ${name}=…, a --var-file, or NOMAD_VAR_${name}.`,
  };
}

/** The path of `file("…")` called with a literal path, else undefined. */
function wholeFile(expr: Expression): string | undefined {
  if (expr.kind !== 'call' || expr.name !== 'file' || expr.args.length !== 1) return undefined;
  const arg = expr.args[0]!;
  if (arg.kind === 'literal' && typeof arg.value === 'string') return arg.value;
  if (arg.kind === 'template' && arg.parts.every((p) => p.kind === 'text'))
    return arg.parts.map((p) => (p.kind === 'text' ? p.value : '')).join('');
  return undefined;
}

/**
 * Diagnostics on the lines of a variable's items show no source line: the line may hold an item's value. Their
 * messages hold none already (estate/nomad-variable.ts).
 */
function hideItemLines(diagnostics: readonly Diagnostic[], estate: readonly Block[]): Diagnostic[] {
  const spans = estate
    .filter((b) => b.type === 'nomad_variable')
    .flatMap((b) => [
      ...b.body.attributes.filter((a) => a.name === 'items').map((a) => a.range),
      ...b.body.blocks.filter((n) => n.type === 'items').map((n) => n.range),
    ]);
  if (spans.length === 0) return [...diagnostics];
  return diagnostics.map((d) =>
    spans.some(
      (s) =>
        s.file === d.range.file && d.range.start.line >= s.start.line && d.range.start.line <= s.end.line,
    )
      ? { ...d, hidesLine: true }
      : d,
  );
}

const position = (range: Range) => `${range.file}:${range.start.line}:${range.start.column}`;

/** Whether the project declares no estate object (its validate output then leaves drover.hcl out). */
export function declaresNothing(estate: EstateDeclarations): boolean {
  return (
    estate.files.length === 1 &&
    estate.diagnostics.length === 0 &&
    estate.declaredVariables.length === 0 &&
    estate.checkBlocks === 0 &&
    Object.values(LIST_OF).every((list) => estate[list].length === 0)
  );
}

/**
 * What of the estate goes to one cluster (or one region of it): the objects whose `clusters` name it, and those
 * that name none. A region other than its cluster's first gets only Nomad Variables, which Nomad keeps per region:
 * it replicates namespaces, node pools, ACL policies and roles from the first.
 */
export function estateOfCluster(
  estate: EstateDeclarations,
  cluster: {
    readonly name: string;
    readonly federation?: { readonly cluster: string; readonly authoritative: boolean };
  },
): EstateDeclarations {
  const name = cluster.federation?.cluster ?? cluster.name;
  const replicated = cluster.federation !== undefined && !cluster.federation.authoritative;
  const ours = <S>(list: readonly Declaration<S>[]) =>
    list.filter((d) => !d.clusters || d.clusters.includes(name));
  const goes = <S>(list: readonly Declaration<S>[]) => (replicated ? [] : ours(list));
  return {
    ...estate,
    namespaces: goes(estate.namespaces),
    nodePools: goes(estate.nodePools),
    aclPolicies: goes(estate.aclPolicies),
    aclRoles: goes(estate.aclRoles),
    variables: ours(estate.variables),
  };
}
