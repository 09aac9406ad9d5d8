/**
 * `drover import`: the cluster's jobs (and the namespaces, node pools, ACL policies and Nomad Variables they use,
 * and the kinds --include names) written back as a project that plans as adopt with no field change. Each job's
 * file is chosen by src/import/job-file.ts; here the jobs are read, the files named, checked against each other (a
 * project shares its var files) and written.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DEFAULT_MASK_PATTERNS } from '../config/project-settings.js';
import { UserError } from '../errors.js';
import { estateBlock } from '../import/estate-hcl.js';
import { estateFiles } from '../import/estate-files.js';
import { chooseJobFile, type JobFileChoice, type WrittenFile } from '../import/job-file.js';
import type { EstateKind, ImportedJob, ImportResult } from '../import/import-result.js';
import { liveDifferences } from '../import/live-differences.js';
import { secretFields, secretVariables } from '../import/secret-fields.js';
import { quoted } from '../import/hcl-literals.js';
import { NomadNotFoundError } from '../nomad/errors.js';
import type { NomadClient } from '../nomad/client.js';
import type { Namespace } from '../nomad/endpoints/namespaces.js';
import type { NodePool } from '../nomad/endpoints/node-pools.js';
import type { Job, JobSubmission } from '../nomad/types.js';
import { formatHcl } from '../source/hcl/format.js';
import { varFileNames } from '../source/jobspec/variables.js';
import { loadJob } from '../source/load-job.js';
import { PROJECT_FILE } from '../source/project-file.js';
import { compareText } from '../util/compare.js';
import { mapLimit } from '../util/limit.js';
import { readImportEstate, type EstateRead } from './import-estate.js';
import { ownedKey } from '../stack/inventory-document.js';
import { otherOwners } from '../stack/other-owners.js';
import { targetOf, type NomadAccess } from './nomad-access.js';

export interface ImportInputs extends NomadAccess {
  /** Job IDs; none: every job of the namespace (or of all namespaces). */
  readonly jobs: readonly string[];
  /** --no-jobs: only the kinds `include` names. */
  readonly withoutJobs?: boolean;
  readonly allNamespaces: boolean;
  /** The output directory, relative to cwd. */
  readonly out: string;
  readonly cwd: string;
  readonly stack?: string;
  readonly force: boolean;
  readonly dryRun: boolean;
  /**
   * Kinds imported whole (every object the token can read), beside what the jobs depend on: namespace, node_pool,
   * acl_policy, acl_role, acl (both), nomad_variable.
   */
  readonly include: readonly string[];
  /** Only the variables under these prefixes (implies nomad_variable). */
  readonly variablePrefixes: readonly string[];
  /** Write the variables' values to VALUES_FILE. */
  readonly withValues: boolean;
  readonly stampKey?: string;
  readonly signal?: AbortSignal;
}

export async function importJobs(inputs: ImportInputs): Promise<ImportResult> {
  const target = targetOf(inputs);
  const client = inputs.connect(target);
  const { signal } = inputs;
  const stampKey = inputs.stampKey ?? 'drover.stack';
  const outDir = resolve(inputs.cwd, inputs.out);
  const namespace = target.namespace?.value ?? 'default';
  const include = includedKinds(inputs.include, inputs.variablePrefixes);
  refuseNothingToImport(inputs, include);
  const listed = inputs.withoutJobs ? [] : await listJobs(client, inputs, namespace);
  const stubs = listed.filter((stub) => !stub.ParentID);
  const lives = await mapLimit(stubs, 8, async (stub) => {
    const { body } = await client.jobs.read(stub.ID, { namespace: stub.Namespace, signal });
    return body;
  });
  const compare = (live: Job) => (job: Job) => liveDifferences(client, job, live, stampKey, signal);
  const submissions = await mapLimit(lives, 8, (live) => submissionOf(client, live, signal));
  const bases = fileBases(lives);
  const choose = (i: number, withoutSubmission = false) =>
    chooseJobFile(lives[i]!, submissions[i], compare(lives[i]!), {
      outDir,
      base: bases[i]!,
      stampKey,
      withoutSubmission,
    });
  const choices = await mapLimit(lives, 8, (_, i) => choose(i));
  // A project shares its var files: a submission whose variables another job's file would change is generated.
  for (const i of sharedVarConflicts(choices, outDir)) choices[i] = await choose(i, true);

  const { stack, stackFrom } = stackName(inputs, lives, stampKey, outDir);
  // What another drover stack manages stays out of this project: its plan would refuse to take it over.
  const held = {
    namespace: await objectsUsed(
      include.has('namespace') ? (await client.namespaces.list({ signal })).body : [],
      lives.map((j) => String(j.Namespace)),
      (name) => client.namespaces.find(name, { signal }),
      ['default'],
    ),
    node_pool: await objectsUsed(
      include.has('node_pool') ? (await client.nodePools.list({ signal })).body : [],
      lives.map((j) => String(j.NodePool ?? 'default')),
      (name) => client.nodePools.find(name, { signal }),
      ['default', 'all'],
    ),
  };
  const managed = (object: { Meta?: Record<string, string> | null }) => object.Meta?.[stampKey];
  const otherStacks: OwnedElsewhere[] = (['namespace', 'node_pool'] as const).flatMap((kind) =>
    held[kind].flatMap((o) =>
      managed(o) !== undefined && managed(o) !== stack ? [{ kind, name: o.Name, stack: managed(o)! }] : [],
    ),
  );
  const namespaces = held.namespace.filter((o) => managed(o) === undefined || managed(o) === stack);
  const nodePools = held.node_pool.filter((o) => managed(o) === undefined || managed(o) === stack);
  const read = await readImportEstate(
    client,
    lives,
    {
      include,
      variablePrefixes: inputs.variablePrefixes,
      namespace: inputs.allNamespaces ? '*' : namespace,
    },
    signal,
  );
  const { estate, owned } = await withoutOtherStacks(client, stack, read, signal);
  otherStacks.push(...owned);
  const taken = new Set(choices.flatMap((c) => c.loaded?.declaredVariables ?? []));
  const written = estateFiles(estate, taken, inputs.withValues);
  const projectText = projectFile({
    stack,
    choices,
    namespaces,
    nodePools,
    estate: written.blocks,
    valuesFile: written.valuesFile?.path,
  });
  const patterns = DEFAULT_MASK_PATTERNS;
  const jobs: ImportedJob[] = lives.map((live, i) => {
    const choice = choices[i]!;
    const submission = choice.origin === 'submission' ? submissions[i] : undefined;
    return {
      namespace: String(live.Namespace),
      id: String(live.ID),
      origin: choice.origin,
      file: choice.job.path,
      ...(choice.varFile ? { varFile: choice.varFile.path } : {}),
      differing: choice.differing,
      secrets: [
        ...secretFields(live as Record<string, unknown>, patterns),
        ...(submission
          ? secretVariables(submission.VariableFlags ?? {}, submission.Variables ?? '', patterns)
          : []),
      ],
    };
  });
  const files: WrittenFile[] = [
    ...choices.flatMap((c) => [c.job, ...(c.varFile ? [c.varFile] : [])]),
    ...written.files,
    ...(written.valuesFile ? [written.valuesFile] : []),
    { path: PROJECT_FILE, text: projectText },
  ];
  refuseOverwrite(outDir, files, inputs);
  const secretFiles = [
    ...jobs.flatMap((j) => (j.secrets.length > 0 ? [j.file, ...(j.varFile ? [j.varFile] : [])] : [])),
    ...(written.valuesFile ? [written.valuesFile.path] : []),
  ];
  const gitignored = inGitRepository(outDir) ? secretFiles : [];
  if (!inputs.dryRun) {
    for (const file of files) {
      mkdirSync(dirname(join(outDir, file.path)), { recursive: true });
      writeFileSync(join(outDir, file.path), file.text);
    }
    if (gitignored.length > 0) addToGitignore(outDir, gitignored);
  }
  return {
    out: inputs.out,
    stack,
    stackFrom,
    jobs,
    children: listed.length - stubs.length,
    namespaces: namespaces.map((n) => n.Name),
    nodePools: nodePools.map((p) => p.Name),
    ...(otherStacks.length > 0 ? { otherStacks } : {}),
    aclPolicies: estate.policies.map((p) => p.Name),
    aclRoles: written.roles,
    variables: estate.variables.map((v) => ({
      namespace: v.Namespace,
      path: v.Path,
      items: written.inputs
        .filter((i) => i.namespace === v.Namespace && i.path === v.Path)
        .map((i) => ({ item: i.item, input: i.name })),
    })),
    ...(written.valuesFile ? { valuesFile: written.valuesFile.path } : {}),
    valuesToSupply: inputs.withValues ? [] : written.inputs.map((i) => i.name),
    estateDiffering: written.differing,
    unread: estate.unread,
    unresolvedTemplates: estate.unresolved,
    notHeld: estate.aclsDisabled ? [...include].filter((k) => k === 'acl_policy' || k === 'acl_role') : [],
    files: files.map((f) => f.path),
    gitignored,
    dryRun: inputs.dryRun,
  };
}

async function listJobs(client: NomadClient, inputs: ImportInputs, namespace: string) {
  const scope = inputs.allNamespaces ? '*' : namespace;
  const all = await client.jobs.listAll({ namespace: scope, signal: inputs.signal });
  if (inputs.jobs.length === 0) return all.map((s) => ({ ...s, Namespace: s.Namespace ?? namespace }));
  const missing = inputs.jobs.filter((id) => !all.some((s) => s.ID === id));
  if (missing.length > 0)
    throw new UserError(
      `no job ${missing.map((id) => `"${id}"`).join(', ')} in ${inputs.allNamespaces ? 'any namespace' : `namespace "${namespace}"`}`,
      {
        code: 'no_such_job',
        hint: 'Check the job IDs (nomad job status lists them), or pass --namespace NS or --all-namespaces.',
      },
    );
  return all
    .filter((s) => inputs.jobs.includes(s.ID))
    .map((s) => ({ ...s, Namespace: s.Namespace ?? namespace }));
}

/** The source Nomad kept for the job's current version, if it kept one (`nomad job run` sends it; the API need not). */
async function submissionOf(
  client: NomadClient,
  live: Job,
  signal?: AbortSignal,
): Promise<JobSubmission | undefined> {
  try {
    const { body } = await client.jobs.submission(String(live.ID), live.Version ?? 0, {
      namespace: String(live.Namespace),
      signal,
    });
    return body && body.Source ? body : undefined;
  } catch (error) {
    if (error instanceof NomadNotFoundError) return undefined;
    throw error;
  }
}

/** jobs/<id> in the default namespace, jobs/<namespace>/<id> elsewhere; names a file system takes. */
function fileBases(lives: readonly Job[]): string[] {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const taken = new Set<string>();
  return lives.map((live) => {
    const dir = live.Namespace === 'default' ? 'jobs' : `jobs/${safe(String(live.Namespace))}`;
    let base = `${dir}/${safe(String(live.ID))}`;
    for (let n = 2; taken.has(base.toLowerCase()); n++) base = `${dir}/${safe(String(live.ID))}-${n}`;
    taken.add(base.toLowerCase());
    return base;
  });
}

/**
 * The jobs whose submission does not survive the project's shared var files: read with every var file of the
 * project, it becomes another job, or a var file sets a name no job declares (a plan would refuse it).
 */
function sharedVarConflicts(choices: readonly JobFileChoice[], outDir: string): number[] {
  const varFiles = choices.flatMap((c) =>
    c.varFile ? [{ path: join(outDir, c.varFile.path), content: c.varFile.text }] : [],
  );
  if (varFiles.length === 0) return [];
  const declared = new Set(choices.flatMap((c) => c.loaded?.declaredVariables ?? []));
  return choices.flatMap((choice, i) => {
    if (choice.origin !== 'submission' || !choice.loaded?.job) return [];
    const path = join(outDir, choice.job.path);
    const shared = loadJob(path, choice.job.text, {
      baseDir: dirname(path),
      varFiles,
      env: {},
      ignoreUndeclared: true,
    });
    const same = JSON.stringify(shared.job) === JSON.stringify(choice.loaded.job);
    const stray =
      choice.varFile &&
      varFileNames(choice.varFile.path, choice.varFile.text).some((v) => !declared.has(v.name));
    return same && !stray ? [] : [i];
  });
}

/**
 * --stack, else the stack drover's stamp names on the jobs that carry one, else the output directory's name. Jobs
 * stamped by different stacks, or by another stack than --stack names, cannot be planned as one project.
 */
function stackName(
  inputs: ImportInputs,
  lives: readonly Job[],
  stampKey: string,
  outDir: string,
): { stack: string; stackFrom: ImportResult['stackFrom'] } {
  const stamps = [...new Set(lives.flatMap((j) => (j.Meta?.[stampKey] ? [j.Meta[stampKey]] : [])))].sort();
  const foreign = stamps.filter((s) => s !== inputs.stack);
  if (stamps.length > 1 || (inputs.stack && foreign.length > 0))
    throw new UserError(
      `these jobs belong to drover stack${stamps.length === 1 ? '' : 's'} ${stamps.map((s) => `"${s}"`).join(', ')}${inputs.stack ? `, not "${inputs.stack}"` : ''}: one project plans one stack`,
      {
        code: 'import_mixed_stacks',
        hint: `Import each stack's jobs on their own (drover import JOB… --stack NAME), naming the jobs of "${stamps[0]}" apart from the others.`,
      },
    );
  if (inputs.stack) return { stack: inputs.stack, stackFrom: 'flag' };
  if (stamps.length === 1) return { stack: stamps[0]!, stackFrom: 'stamp' };
  return { stack: basename(outDir), stackFrom: 'directory' };
}

/**
 * The objects listed (--include), and those the jobs use read one by one, without the built-in ones every cluster
 * has (a project cannot own them), by name.
 */
async function objectsUsed<T extends { readonly Name: string }>(
  listed: readonly T[],
  used: readonly string[],
  find: (name: string) => Promise<{ readonly body: T | null }>,
  builtIn: readonly string[],
): Promise<T[]> {
  const byName = new Map(listed.map((o) => [o.Name, o]));
  const unread = [...new Set(used)].filter((name) => !byName.has(name) && !builtIn.includes(name));
  for (const found of await mapLimit(unread, 8, async (name) => (await find(name)).body))
    if (found) byName.set(found.Name, found);
  return [...byName.values()]
    .filter((o) => !builtIn.includes(o.Name))
    .sort((a, b) => compareText(a.Name, b.Name));
}

type OwnedElsewhere = NonNullable<ImportResult['otherStacks']>[number];

/** The policies, roles and variables another drover stack's inventory lists, left out and named. */
async function withoutOtherStacks(
  client: NomadClient,
  stack: string,
  read: EstateRead,
  signal?: AbortSignal,
): Promise<{ estate: EstateRead; owned: OwnedElsewhere[] }> {
  const objects = [
    ...read.policies.map((p) => ({ kind: 'acl-policy', name: p.Name, as: 'acl_policy' as const })),
    ...read.roles.map((r) => ({ kind: 'acl-role', name: r.role.Name, as: 'acl_role' as const })),
    ...read.variables.map((v) => ({
      kind: 'variable',
      namespace: v.Namespace,
      name: v.Path,
      as: 'nomad_variable' as const,
    })),
  ];
  const owners = await otherOwners(client, stack, objects, signal);
  const ownerOf = (o: { kind: string; namespace?: string; name: string }) => owners.get(ownedKey(o));
  return {
    estate: {
      ...read,
      policies: read.policies.filter((p) => !ownerOf({ kind: 'acl-policy', name: p.Name })),
      roles: read.roles.filter((r) => !ownerOf({ kind: 'acl-role', name: r.role.Name })),
      variables: read.variables.filter(
        (v) => !ownerOf({ kind: 'variable', namespace: v.Namespace, name: v.Path }),
      ),
    },
    owned: objects.flatMap((o) => {
      const other = ownerOf(o);
      return other === undefined ? [] : [{ kind: o.as, name: o.name, stack: other }];
    }),
  };
}

function refuseNothingToImport(inputs: ImportInputs, include: ReadonlySet<EstateKind>): void {
  if (!inputs.withoutJobs) return;
  if (inputs.jobs.length > 0)
    throw new UserError(`--no-jobs imports no job, yet jobs are named: ${inputs.jobs.join(', ')}`, {
      code: 'import_no_jobs',
      hint: 'Leave out either the job IDs or --no-jobs.',
    });
  if (include.size === 0)
    throw new UserError('--no-jobs leaves nothing to import', {
      code: 'import_no_jobs',
      hint: 'Name the kinds to import: --include namespace,node_pool,acl,nomad_variable (or some of them).',
    });
}

function includedKinds(named: readonly string[], variablePrefixes: readonly string[]): Set<EstateKind> {
  const kinds = new Set<EstateKind>();
  for (const kind of named)
    if (kind === 'acl') kinds.add('acl_policy').add('acl_role');
    else kinds.add(kind as EstateKind);
  if (variablePrefixes.length > 0) kinds.add('nomad_variable');
  return kinds;
}

function projectFile(parts: {
  stack: string;
  choices: readonly JobFileChoice[];
  namespaces: readonly Namespace[];
  nodePools: readonly NodePool[];
  /** ACL policies and roles, variable and nomad_variable blocks. */
  estate: readonly string[];
  valuesFile?: string;
}): string {
  const list = (paths: readonly string[]) => `[\n${paths.map((p) => `  ${quoted(p)},`).join('\n')}\n]`;
  const jobs = parts.choices.map((c) => c.job.path);
  const varFiles = [
    ...parts.choices.flatMap((c) => (c.varFile ? [c.varFile.path] : [])),
    ...(parts.valuesFile ? [parts.valuesFile] : []),
  ];
  const blocks: string[] = [];
  for (const namespace of parts.namespaces)
    blocks.push(estateBlock('namespace', namespace as unknown as Record<string, unknown>));
  for (const pool of parts.nodePools)
    blocks.push(estateBlock('node_pool', pool as unknown as Record<string, unknown>));
  blocks.push(...parts.estate);
  const text = [
    '# Written by drover import: the jobs as they run, and the other objects they use or import was asked for.',
    `stack = ${quoted(parts.stack)}`,
    ...(jobs.length > 0 ? [`jobs = ${list(jobs)}`] : []),
    ...(varFiles.length > 0 ? [`var_files = ${list(varFiles)}`] : []),
    ...blocks.flatMap((b) => ['', b]),
  ].join('\n');
  return formatHcl(`${text}\n`, PROJECT_FILE).text ?? `${text}\n`;
}

function refuseOverwrite(outDir: string, files: readonly WrittenFile[], inputs: ImportInputs): void {
  if (inputs.force || inputs.dryRun) return;
  const existing = files.filter((f) => existsSync(join(outDir, f.path))).map((f) => join(inputs.out, f.path));
  if (existing.length === 0) return;
  throw new UserError(
    `${existing.length} file${existing.length === 1 ? '' : 's'} already exist: ${existing.join(', ')}`,
    {
      code: 'import_would_overwrite',
      hint: 'Import into an empty directory (--out DIR), or pass --force to overwrite them. Nothing was written.',
    },
  );
}

function inGitRepository(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, '.git'))) return true;
    if (dirname(at) === at) return false;
  }
}

function addToGitignore(outDir: string, paths: readonly string[]): void {
  const file = join(outDir, '.gitignore');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const lines = new Set(before.split('\n'));
  const added = paths.map((p) => `/${p}`).filter((p) => !lines.has(p));
  if (added.length === 0) return;
  const head =
    before === ''
      ? '# Files drover import wrote with secret-looking values in them\n'
      : before.endsWith('\n')
        ? ''
        : '\n';
  writeFileSync(file, `${before}${head}${added.join('\n')}\n`);
}
