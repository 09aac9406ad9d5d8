/**
 * drover.hcl's `cluster` blocks: the Nomads a project rolls out to, each with its connection settings (the
 * Nomad CLI's, every credential named by the environment variable or file holding it, never the secret), its
 * var files and the clusters it comes after. Also the `clusters` list that narrows a job block (and an estate
 * block) to some of them. Offline: names, references and the `after` order are checked here, each problem at its
 * position.
 */
import type { ClusterDeclaration } from '../config/target.js';
import type { Attribute, Block, Body } from './hcl/ast.js';
import { DiagnosticError, error, suggest, type Diagnostic, type Range } from './hcl/diagnostics.js';
import { evaluate, type EvalContext } from './hcl/evaluate.js';
import type { Value } from './hcl/types.js';

type Shape = 'string' | 'bool' | 'strings';

/** Each argument of a cluster block, its shape and the field it fills. */
const ARGUMENTS: Readonly<Record<string, { shape: Shape; field: keyof ClusterFields }>> = {
  address: { shape: 'string', field: 'address' },
  region: { shape: 'string', field: 'region' },
  regions: { shape: 'strings', field: 'regions' },
  namespace: { shape: 'string', field: 'namespace' },
  var_files: { shape: 'strings', field: 'varFiles' },
  token_env: { shape: 'string', field: 'tokenEnv' },
  token_file: { shape: 'string', field: 'tokenFile' },
  ca_file: { shape: 'string', field: 'caCert' },
  ca_path: { shape: 'string', field: 'caPath' },
  client_cert: { shape: 'string', field: 'clientCert' },
  client_key: { shape: 'string', field: 'clientKey' },
  tls_server_name: { shape: 'string', field: 'tlsServerName' },
  tls_skip_verify: { shape: 'bool', field: 'tlsSkipVerify' },
  after: { shape: 'strings', field: 'after' },
};

type ClusterFields = Omit<ClusterDeclaration, 'name' | 'at'>;

/** A cluster's name: what --cluster, addresses and headings use. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
/** What a shell can export. */
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function readClusterBlocks(
  blocks: readonly Block[],
  ctx: EvalContext,
  diagnostics: Diagnostic[],
): ClusterDeclaration[] {
  const clusters: ClusterDeclaration[] = [];
  const labels = new Map<string, Range>();
  for (const block of blocks) {
    const label = block.labels[0];
    if (!label || block.labels.length > 1) {
      diagnostics.push(
        error(
          label ? block.labels[1]!.range : block.typeRange,
          label ? 'Extraneous label for cluster' : 'Missing name for cluster',
          'A cluster block takes one label, its name: cluster "staging" { address = "https://…" }.',
        ),
      );
      continue;
    }
    if (!NAME.test(label.value)) {
      diagnostics.push(
        error(
          label.range,
          `Invalid cluster name "${label.value}"`,
          'A cluster name is 1 to 64 letters, digits, "-", "_" or ".", starting with a letter or digit.',
        ),
      );
      continue;
    }
    if (labels.has(label.value)) {
      diagnostics.push(
        error(
          label.range,
          `Duplicate cluster "${label.value}"`,
          `It is declared at ${at(labels.get(label.value)!)} already; declare it once.`,
        ),
      );
      continue;
    }
    labels.set(label.value, label.range);
    const fields = readFields(block, ctx, diagnostics);
    if (fields) clusters.push({ name: label.value, at: at(block.typeRange), ...fields });
  }
  checkAfter(blocks, clusters, diagnostics);
  return clusters;
}

/**
 * The `clusters` argument of a job or estate block: the clusters it goes to, each declared. Undefined when the
 * block has none (it goes to every cluster).
 */
export function readClustersArgument(
  attr: Attribute,
  ctx: EvalContext,
  declared: readonly string[],
  diagnostics: Diagnostic[],
): string[] | undefined {
  const value = evaluateQuietly(attr, ctx, diagnostics);
  if (value === undefined) return undefined;
  if (!isStrings(value)) {
    diagnostics.push(error(attr.expr.range, '"clusters" must be a list of cluster names'));
    return undefined;
  }
  if (declared.length === 0) {
    diagnostics.push(
      error(
        attr.nameRange,
        '"clusters" names clusters, but drover.hcl declares none',
        'Declare each with a cluster "NAME" { address = "…" } block in drover.hcl, or remove "clusters".',
      ),
    );
    return undefined;
  }
  let ok = true;
  value.forEach((name, i) => {
    if (declared.includes(name)) return;
    ok = false;
    const hint = suggest(name, declared);
    diagnostics.push(
      error(
        itemRange(attr, i),
        `Unknown cluster "${name}"`,
        hint ? `Did you mean "${hint}"?` : `drover.hcl declares ${declared.map((d) => `"${d}"`).join(', ')}.`,
      ),
    );
  });
  return ok ? value : undefined;
}

function readFields(block: Block, ctx: EvalContext, diagnostics: Diagnostic[]): ClusterFields | undefined {
  const fields: Record<string, unknown> = { varFiles: [], after: [] };
  let ok = true;
  for (const child of block.body.blocks) {
    ok = false;
    diagnostics.push(
      error(
        child.typeRange,
        `Unsupported block "${child.type}" in a cluster block`,
        'A cluster block holds arguments only.',
      ),
    );
  }
  for (const attr of block.body.attributes) {
    const argument = ARGUMENTS[attr.name];
    if (!argument) {
      ok = false;
      const hint = suggest(attr.name, Object.keys(ARGUMENTS));
      diagnostics.push(
        error(
          attr.nameRange,
          `Unsupported argument "${attr.name}" in a cluster block`,
          hint ? `Did you mean "${hint}"?` : `A cluster block takes ${Object.keys(ARGUMENTS).join(', ')}.`,
        ),
      );
      continue;
    }
    const value = evaluateQuietly(attr, ctx, diagnostics);
    if (value === undefined) {
      ok = false;
      continue;
    }
    const problem = shapeProblem(attr.name, argument.shape, value);
    if (problem) {
      ok = false;
      diagnostics.push(error(attr.expr.range, problem));
      continue;
    }
    fields[argument.field] = value;
  }
  const problems = [
    ...valueProblems(block, fields),
    ...(fields.address === undefined
      ? [
          error(
            block.typeRange,
            `Cluster "${block.labels[0]!.value}" has no address`,
            'Give it the address of its Nomad: address = "https://nomad.example:4646".',
          ),
        ]
      : []),
  ];
  diagnostics.push(...problems);
  return ok && problems.length === 0 ? (fields as unknown as ClusterFields) : undefined;
}

/** What Nomad's CLI would refuse of these values, or drover cannot keep secret. */
function valueProblems(block: Block, fields: Record<string, unknown>): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const rangeOf = (name: string) => block.body.attributes.find((a) => a.name === name)!.expr.range;
  const address = fields.address as string | undefined;
  if (address !== undefined && !/^https?:\/\/[^/\s]+/.test(address))
    problems.push(
      error(
        rangeOf('address'),
        `"address" must be an http:// or https:// URL`,
        'For example address = "https://nomad.example:4646".',
      ),
    );
  const tokenEnv = fields.tokenEnv as string | undefined;
  if (tokenEnv !== undefined && !ENV_NAME.test(tokenEnv))
    problems.push(
      error(
        rangeOf('token_env'),
        '"token_env" must name an environment variable',
        'It holds the name of the variable that holds the token (token_env = "NOMAD_TOKEN_PROD"), never the token itself.',
      ),
    );
  if (tokenEnv !== undefined && fields.tokenFile !== undefined)
    problems.push(
      error(
        rangeOf('token_file'),
        'Both "token_env" and "token_file" are set',
        'Name one place the token comes from.',
      ),
    );
  if (fields.region !== undefined && fields.regions !== undefined)
    problems.push(
      error(
        rangeOf('regions'),
        'Both "region" and "regions" are set',
        '"regions" lists every federated region jobs go to; the first is where the other objects are written.',
      ),
    );
  const regions = fields.regions as string[] | undefined;
  if (regions !== undefined && (regions.length === 0 || new Set(regions).size !== regions.length))
    problems.push(error(rangeOf('regions'), '"regions" must list one or more regions, each once'));
  return problems;
}

/** `after` names declared clusters, not itself, without a cycle. */
function checkAfter(
  blocks: readonly Block[],
  clusters: readonly ClusterDeclaration[],
  diagnostics: Diagnostic[],
): void {
  const names = clusters.map((c) => c.name);
  for (const cluster of clusters) {
    const block = blocks.find((b) => b.labels[0]?.value === cluster.name)!;
    const attr = block.body.attributes.find((a) => a.name === 'after');
    cluster.after.forEach((name, i) => {
      if (name === cluster.name)
        diagnostics.push(
          error(
            itemRange(attr!, i),
            `Cluster "${name}" comes after itself`,
            'Remove it from its own "after".',
          ),
        );
      else if (!names.includes(name)) {
        const hint = suggest(name, names);
        diagnostics.push(
          error(
            itemRange(attr!, i),
            `Unknown cluster "${name}" in "after"`,
            hint
              ? `Did you mean "${hint}"?`
              : `drover.hcl declares ${names.map((n) => `"${n}"`).join(', ')}.`,
          ),
        );
      }
    });
  }
  const cycle = findCycle(clusters);
  if (cycle) {
    const block = blocks.find((b) => b.labels[0]?.value === cycle[0])!;
    diagnostics.push(
      error(
        block.labels[0]!.range,
        `The clusters' "after" lists form a cycle: ${[...cycle, cycle[0]].join(' → ')}`,
        'A cluster rolls out only after those it lists: break the cycle.',
      ),
    );
  }
}

function findCycle(clusters: readonly ClusterDeclaration[]): string[] | undefined {
  const after = new Map(clusters.map((c) => [c.name, c.after]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done' || !after.has(name)) return undefined;
    if (state.get(name) === 'open') return path.slice(path.indexOf(name));
    state.set(name, 'open');
    path.push(name);
    for (const next of after.get(name)!) {
      const found = next === name ? undefined : visit(next);
      if (found) return found;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const cluster of clusters) {
    const found = visit(cluster.name);
    if (found) return found;
  }
  return undefined;
}

function shapeProblem(name: string, shape: Shape, value: Value): string | undefined {
  if (shape === 'string' && typeof value !== 'string') return `"${name}" must be a string`;
  if (shape === 'bool' && typeof value !== 'boolean') return `"${name}" must be true or false`;
  if (shape === 'strings' && !isStrings(value)) return `"${name}" must be a list of strings`;
  return undefined;
}

function isStrings(value: Value): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function evaluateQuietly(attr: Attribute, ctx: EvalContext, diagnostics: Diagnostic[]): Value | undefined {
  try {
    return evaluate(attr.expr, ctx);
  } catch (caught) {
    if (!(caught instanceof DiagnosticError)) throw caught;
    diagnostics.push(caught.diagnostic);
    return undefined;
  }
}

function itemRange(attr: Attribute, i: number): Range {
  return attr.expr.kind === 'tuple' ? (attr.expr.items[i]?.range ?? attr.expr.range) : attr.expr.range;
}

const at = (range: Range) => `${range.file}:${range.start.line}:${range.start.column}`;

/** The cluster blocks of a body. */
export function clusterBlocksOf(body: Body): Block[] {
  return body.blocks.filter((b) => b.type === 'cluster');
}
