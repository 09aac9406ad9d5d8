/**
 * drover.hcl, the optional project file, read with drover's own HCL reader:
 *
 *   stack     = "shop"
 *   namespace = "default"
 *   jobs      = ["jobs/*.nomad.hcl"]
 *   var_files = ["env/prod.vars.hcl"]
 *   prune     = true
 *   include   = ["estate/*.hcl"]
 *   job "api" { depends_on = ["redis"] }
 *   cluster "prod" { address = "https://…", after = ["staging"] }   (cluster-blocks.ts)
 *
 * The settings and job blocks are read here; the estate it declares (namespace, node_pool, acl_policy, acl_role,
 * nomad_variable, with variable and locals blocks) and its check blocks are read by estate.ts, once the variable
 * values are known.
 */
import { existsSync, readFileSync } from 'node:fs';
import { decodeSourceText, encodingProblem } from './source-text.js';
import { dirname, join, resolve } from 'node:path';
import type { ProjectFile } from '../config/project-settings.js';
import {
  DiagnosticError,
  error,
  formatDiagnostic,
  hasErrors,
  suggest,
  type Diagnostic,
  type Range,
} from './hcl/diagnostics.js';
import { evaluate, MAX_ELEMENTS } from './hcl/evaluate.js';
import { jobspecFunctions } from './hcl/functions.js';
import type { Body } from './hcl/ast.js';
import { parseHcl } from './hcl/parser.js';
import { ESTATE_BLOCK_TYPES } from './estate/block-types.js';
import { clusterBlocksOf, readClusterBlocks, readClustersArgument } from './cluster-blocks.js';
import type { Value } from './hcl/types.js';
import { appendAll } from '../util/append-all.js';

export const PROJECT_FILE = 'drover.hcl';

const ATTRIBUTES: Record<string, 'string' | 'bool' | 'list' | 'map'> = {
  stack: 'string',
  namespace: 'string',
  region: 'string',
  jobs: 'list',
  var_files: 'list',
  vars: 'map',
  prune: 'bool',
  stamp_key: 'string',
  mask: 'list',
  include: 'list',
};

/** What drover.hcl holds beside its settings, read by estate.ts. */
const OTHER_BLOCKS = ['job', 'cluster', 'variable', 'variables', 'locals', 'check', ...ESTATE_BLOCK_TYPES];

/** drover.hcl read: its settings, and what the estate reader needs of it. */
export interface ProjectDocument {
  readonly project: ProjectFile;
  /** The path as diagnostics name it. */
  readonly shownAs: string;
  readonly source: string;
  readonly body: Body;
  /** `include`: the files (paths or globs, relative to drover.hcl) that declare more of the estate. */
  readonly include: readonly string[];
}

export class ProjectFileError extends Error {
  constructor(
    readonly diagnostics: readonly Diagnostic[],
    readonly source: string,
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d, source)).join('\n'));
  }
}

/**
 * The drover.hcl that governs `dir`: in it or the nearest parent holding one, stopping at the repository root
 * (a directory with .git) or the filesystem root.
 */
export function findProjectFile(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const path = join(at, PROJECT_FILE);
    if (existsSync(path)) return path;
    if (existsSync(join(at, '.git')) || dirname(at) === at) return undefined;
  }
}

/** `shownAs`: the path as its diagnostics name it (as job files are named: relative to where drover runs). */
export function readProjectFile(
  path: string,
  source = decodeSourceText(readFileSync(path)),
  shownAs = path,
): ProjectFile {
  return readProjectDocument(path, source, shownAs).project;
}

/** drover.hcl's settings and job blocks, checked; the estate blocks are left to estate.ts. */
export function readProjectDocument(
  path: string,
  source = decodeSourceText(readFileSync(path)),
  shownAs = path,
): ProjectDocument {
  const badEncoding = encodingProblem(source, shownAs);
  if (badEncoding) throw new ProjectFileError([badEncoding], source);
  const diagnostics: Diagnostic[] = [];
  const parsed = parseHcl(source, shownAs);
  appendAll(diagnostics, parsed.diagnostics);
  const ctx = {
    variables: {},
    functions: jobspecFunctions(true),
    source,
    baseDir: dirname(path),
    warnings: [],
    budget: { remaining: MAX_ELEMENTS },
  };
  const values: Record<string, Value> = {};
  for (const attr of parsed.body.attributes) {
    const kind = ATTRIBUTES[attr.name];
    if (!kind) {
      const hint = suggest(attr.name, Object.keys(ATTRIBUTES));
      diagnostics.push(
        error(
          attr.nameRange,
          `Unsupported argument "${attr.name}" in drover.hcl`,
          hint
            ? `Did you mean "${hint}"?`
            : `drover.hcl takes ${Object.keys(ATTRIBUTES).join(', ')} and job blocks.`,
        ),
      );
      continue;
    }
    try {
      const value = evaluate(attr.expr, ctx);
      const ok =
        (kind === 'string' && typeof value === 'string') ||
        (kind === 'bool' && typeof value === 'boolean') ||
        (kind === 'list' && Array.isArray(value) && value.every((v) => typeof v === 'string')) ||
        (kind === 'map' && typeof value === 'object' && value !== null && !Array.isArray(value));
      if (!ok)
        diagnostics.push(
          error(
            attr.expr.range,
            `"${attr.name}" must be ${{ string: 'a string', bool: 'true or false', list: 'a list of strings', map: 'a map' }[kind]}`,
          ),
        );
      else values[attr.name] = value;
    } catch (caught) {
      if (caught instanceof DiagnosticError) diagnostics.push(caught.diagnostic);
      else throw caught;
    }
  }
  const clusters = readClusterBlocks(clusterBlocksOf(parsed.body), ctx, diagnostics);
  const clusterNames = clusters.map((c) => c.name);
  const dependsOn: Record<string, string[]> = {};
  const dependsOnAt: Record<string, string[]> = {};
  const jobClusters: Record<string, string[]> = {};
  for (const block of parsed.body.blocks) {
    if (block.type !== 'job' && OTHER_BLOCKS.includes(block.type)) continue;
    if (block.type !== 'job' || block.labels.length !== 1) {
      const hint = block.type === 'job' ? undefined : suggest(block.type, OTHER_BLOCKS);
      diagnostics.push(
        error(
          block.typeRange,
          `Unsupported block "${block.type}" in drover.hcl`,
          hint
            ? `Did you mean "${hint}"?`
            : block.type === 'job'
              ? 'drover.hcl holds settings and job "<id>" { depends_on = [...] } blocks.'
              : `drover.hcl holds settings, job "<id>" { depends_on = [...] } blocks, and ${ESTATE_BLOCK_TYPES.join(', ')}, variable, locals and check blocks.`,
        ),
      );
      continue;
    }
    for (const attr of block.body.attributes) {
      if (attr.name === 'clusters') {
        const names = readClustersArgument(attr, ctx, clusterNames, diagnostics);
        if (names) jobClusters[block.labels[0]!.value] = names;
        continue;
      }
      if (attr.name !== 'depends_on') {
        const hint = suggest(attr.name, ['depends_on', 'clusters']);
        diagnostics.push(
          error(
            attr.nameRange,
            `Unsupported argument "${attr.name}" in a job block`,
            hint
              ? `Did you mean "${hint}"?`
              : 'A job block in drover.hcl takes depends_on = ["other-job", …] and clusters = ["staging", …].',
          ),
        );
        continue;
      }
      try {
        const value = evaluate(attr.expr, ctx);
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
          diagnostics.push(error(attr.expr.range, 'depends_on must be a list of job IDs'));
        else {
          const id = block.labels[0]!.value;
          dependsOn[id] = value as string[];
          const at = (range: Range) => `${range.file}:${range.start.line}:${range.start.column}`;
          dependsOnAt[id] = (value as string[]).map((_, i) =>
            at(attr.expr.kind === 'tuple' ? (attr.expr.items[i]?.range ?? attr.expr.range) : attr.expr.range),
          );
        }
      } catch (caught) {
        if (caught instanceof DiagnosticError) diagnostics.push(caught.diagnostic);
        else throw caught;
      }
    }
  }
  if (hasErrors(diagnostics)) throw new ProjectFileError(diagnostics, source);
  const str = (k: string) => values[k] as string | undefined;
  const project: ProjectFile = {
    dir: dirname(path),
    path,
    ...(str('stack') ? { stack: str('stack') } : {}),
    ...(str('namespace') ? { namespace: str('namespace') } : {}),
    ...(str('region') ? { region: str('region') } : {}),
    ...(values.jobs ? { jobs: values.jobs as string[] } : {}),
    ...(values.var_files ? { varFiles: values.var_files as string[] } : {}),
    ...(values.vars
      ? {
          vars: Object.fromEntries(
            Object.entries(values.vars as Record<string, Value>).map(([k, v]) => [
              k,
              typeof v === 'string' ? v : JSON.stringify(v),
            ]),
          ),
        }
      : {}),
    ...(values.prune !== undefined ? { prune: values.prune as boolean } : {}),
    ...(str('stamp_key') ? { stampKey: str('stamp_key') } : {}),
    ...(values.mask ? { mask: values.mask as string[] } : {}),
    dependsOn,
    dependsOnAt,
    ...(clusters.length > 0 ? { clusters } : {}),
    ...(Object.keys(jobClusters).length > 0 ? { jobClusters } : {}),
  };
  return { project, shownAs, source, body: parsed.body, include: (values.include as string[]) ?? [] };
}
