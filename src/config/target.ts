/**
 * Which Nomad to talk to, resolved once: each setting from a flag, else the environment variable the Nomad CLI
 * reads, else the project file (drover.hcl), else a default. Pure: the environment and the project file arrive as
 * values. Every value remembers where it came from, so an error can say "the token from NOMAD_TOKEN" without
 * showing the token.
 */
import { isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { suggest } from '../util/suggest.js';
import type { Sourced } from '../util/sourced.js';

/**
 * A `cluster` block: a Nomad the project rolls out to. Credentials are named by where they are (an environment
 * variable, a file), never held. Paths are relative to drover.hcl.
 */
export interface ClusterDeclaration {
  readonly name: string;
  /** Where its block starts, "file:line:column". */
  readonly at: string;
  readonly address: string;
  readonly region?: string;
  /** Federated regions its jobs are registered in; the first is where the other kinds are written. */
  readonly regions?: readonly string[];
  readonly namespace?: string;
  readonly varFiles: readonly string[];
  /** The environment variable holding its token (default NOMAD_TOKEN). */
  readonly tokenEnv?: string;
  /** The file holding its token. */
  readonly tokenFile?: string;
  readonly caCert?: string;
  readonly caPath?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly tlsServerName?: string;
  readonly tlsSkipVerify?: boolean;
  /** The clusters whose rollout must succeed before this one starts. */
  readonly after: readonly string[];
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Target {
  /** Its cluster block's name; "default" while drover.hcl declares no clusters. */
  readonly name: string;
  /** The clusters whose rollout must succeed before this one's starts. */
  readonly after: readonly string[];
  /**
   * One region of a cluster whose block lists `regions` (the target is named "cluster/region"): jobs and Nomad
   * Variables (which Nomad keeps per region) go to each region; namespaces, node pools, ACL policies and roles,
   * which Nomad replicates from the authoritative region, only to the first.
   */
  readonly federation?: {
    readonly cluster: string;
    readonly region: string;
    readonly authoritative: boolean;
  };
  /** Its own var files (absolute), read after the project's. */
  readonly varFiles: readonly string[];
  readonly address: Sourced<string>;
  /** Never printed, logged or saved. */
  readonly token?: Sourced<string>;
  /** Undefined: Nomad's default namespace. */
  readonly namespace?: Sourced<string>;
  readonly region?: Sourced<string>;
  readonly tls: {
    readonly caCert?: Sourced<string>;
    readonly caPath?: Sourced<string>;
    readonly clientCert?: Sourced<string>;
    readonly clientKey?: Sourced<string>;
    readonly serverName?: Sourced<string>;
    readonly skipVerify: Sourced<boolean>;
  };
}

/** The Nomad CLI's connection settings, as drover's flags give them (one layer of the resolution). */
export interface TargetFlags {
  readonly address?: string;
  readonly token?: string;
  readonly namespace?: string;
  readonly region?: string;
  readonly caCert?: string;
  readonly caPath?: string;
  readonly clientCert?: string;
  readonly clientKey?: string;
  readonly tlsServerName?: string;
  readonly tlsSkipVerify?: boolean;
}

/** What the project file says about the Nomad to talk to. */
export interface ProjectTarget {
  /** How messages name the file ("deploy/drover.hcl"). */
  readonly source: string;
  readonly namespace?: string;
  readonly region?: string;
  /** Its cluster blocks, and the directory their paths are relative to. */
  readonly clusters?: readonly ClusterDeclaration[];
  readonly dir?: string;
}

export interface TargetInputs {
  readonly flags?: TargetFlags;
  /** NOMAD_ADDR, NOMAD_TOKEN and the rest: the caller reads the process environment, never this module. */
  readonly env: Environment;
  readonly project?: ProjectTarget;
  /** --cluster: the clusters to work on (default every one). */
  readonly clusters?: readonly string[];
  /** Reads a cluster's token_file (the caller's filesystem; the token is never kept beyond the target). */
  readonly readFile?: (path: string) => string;
}

export const DEFAULT_NOMAD_ADDRESS = 'http://127.0.0.1:4646';
export const DEFAULT_TARGET_NAME = 'default';

type Setting = keyof TargetFlags;

/** The flag and the environment variable of each setting: the Nomad CLI's variables, drover's flags. */
const NAMES: Readonly<Record<Setting, { readonly flag: string; readonly env: string }>> = {
  address: { flag: '--address', env: 'NOMAD_ADDR' },
  token: { flag: '--token', env: 'NOMAD_TOKEN' },
  namespace: { flag: '--namespace', env: 'NOMAD_NAMESPACE' },
  region: { flag: '--region', env: 'NOMAD_REGION' },
  caCert: { flag: '--ca-cert', env: 'NOMAD_CACERT' },
  caPath: { flag: '--ca-path', env: 'NOMAD_CAPATH' },
  clientCert: { flag: '--client-cert', env: 'NOMAD_CLIENT_CERT' },
  clientKey: { flag: '--client-key', env: 'NOMAD_CLIENT_KEY' },
  tlsServerName: { flag: '--tls-server-name', env: 'NOMAD_TLS_SERVER_NAME' },
  tlsSkipVerify: { flag: '--tls-skip-verify', env: 'NOMAD_SKIP_VERIFY' },
};

/** Settings from one place, and the name each is cited by. */
interface Layer {
  readonly values: TargetFlags;
  readonly source: (setting: Setting) => string;
}

/**
 * The targets the inputs describe, in declaration order. One, named "default", while drover.hcl declares no
 * `cluster` blocks: flags > environment > drover.hcl > defaults. Each cluster block is a target whose own
 * settings come before the environment's, so that an exported NOMAD_ADDR never sends every cluster's plan to one
 * Nomad; the environment still fills what a block leaves out (NOMAD_CACERT, …). Its token comes from the
 * variable its token_env names (NOMAD_TOKEN by default) or its token_file.
 */
export function resolveTargets(inputs: TargetInputs): readonly [Target, ...Target[]] {
  const declared = inputs.project?.clusters ?? [];
  if (declared.length === 0) {
    if (inputs.clusters && inputs.clusters.length > 0)
      throw new UserError(
        `--cluster ${inputs.clusters[0]}: ${inputs.project?.source ?? 'no drover.hcl'} declares no clusters`,
        {
          code: 'unknown_cluster',
          hint: 'Declare clusters with cluster "NAME" { address = "…" } blocks in drover.hcl, or leave out --cluster.',
        },
      );
    const layers = [flagLayer(inputs.flags ?? {}), envLayer(inputs.env)];
    if (inputs.project) layers.push(projectLayer(inputs.project));
    return [targetFrom(DEFAULT_TARGET_NAME, layers)];
  }
  const chosen = chosenClusters(declared, inputs);
  refuseSharedConnectionFlags(inputs.flags ?? {}, chosen);
  // "--cluster fed" is every region of fed; "--cluster fed/us" is one.
  const picked = (target: Target) =>
    !inputs.clusters?.length ||
    inputs.clusters.includes(target.name) ||
    inputs.clusters.includes(target.federation?.cluster ?? target.name);
  const [first, ...rest] = chosen
    .flatMap((cluster) =>
      regionTargets(clusterTarget(cluster, inputs), cluster, declared, blockName(cluster, inputs.project!)),
    )
    .filter(picked);
  return [first!, ...rest];
}

/**
 * A cluster's target, or one per region its block lists: the first region first, the others after it (what they
 * replicate must be there). Coming after a cluster with regions is coming after every one of them.
 */
function regionTargets(
  target: Target,
  cluster: ClusterDeclaration,
  declared: readonly ClusterDeclaration[],
  source: string,
): Target[] {
  const after = target.after.flatMap((name) => {
    const regions = declared.find((c) => c.name === name)?.regions;
    return regions ? regions.map((region) => `${name}/${region}`) : [name];
  });
  if (!cluster.regions) return [{ ...target, after }];
  const [authoritative] = cluster.regions;
  return cluster.regions.map((region) => ({
    ...target,
    name: `${cluster.name}/${region}`,
    region: { value: region, source },
    after: region === authoritative ? after : [...after, `${cluster.name}/${authoritative}`],
    federation: { cluster: cluster.name, region, authoritative: region === authoritative },
  }));
}

function chosenClusters(declared: readonly ClusterDeclaration[], inputs: TargetInputs): ClusterDeclaration[] {
  const names = inputs.clusters ?? [];
  for (const name of names)
    if (!declared.some((c) => selectableNames(c).includes(name))) {
      const hint = suggest(
        name,
        declared.map((c) => c.name),
      );
      throw new UserError(`--cluster ${name}: ${inputs.project!.source} declares no cluster "${name}"`, {
        code: 'unknown_cluster',
        hint: hint
          ? `Did you mean --cluster ${hint}?`
          : `It declares ${declared.map((c) => c.name).join(', ')}.`,
      });
    }
  return names.length === 0
    ? [...declared]
    : declared.filter((c) => selectableNames(c).some((name) => names.includes(name)));
}

/** What --cluster may name of a cluster: the cluster, and each of its regions ("fed/us"). */
function selectableNames(cluster: ClusterDeclaration): string[] {
  return [cluster.name, ...(cluster.regions ?? []).map((region) => `${cluster.name}/${region}`)];
}

/** Flags that say where one Nomad is, or how to reach it, cannot speak for several. */
function refuseSharedConnectionFlags(flags: TargetFlags, chosen: readonly ClusterDeclaration[]): void {
  if (chosen.length < 2) return;
  const given = (Object.keys(NAMES) as Setting[]).filter(
    (setting) => setting !== 'namespace' && setting !== 'region' && flags[setting] !== undefined,
  );
  if (given.length === 0) return;
  throw new UserError(
    `${given.map((s) => NAMES[s].flag).join(', ')} would apply to every cluster (${chosen.map((c) => c.name).join(', ')})`,
    {
      code: 'connection_flags_for_clusters',
      hint: "Set each cluster's connection in its cluster block, or pick one with --cluster NAME.",
    },
  );
}

function clusterTarget(cluster: ClusterDeclaration, inputs: TargetInputs): Target {
  const project = inputs.project!;
  const path = (file: string) => (isAbsolute(file) || !project.dir ? file : join(project.dir, file));
  const block = blockName(cluster, project);
  const layers = [
    flagLayer(inputs.flags ?? {}),
    {
      values: {
        address: cluster.address,
        namespace: cluster.namespace,
        region: cluster.region ?? cluster.regions?.[0],
        caCert: cluster.caCert && path(cluster.caCert),
        caPath: cluster.caPath && path(cluster.caPath),
        clientCert: cluster.clientCert && path(cluster.clientCert),
        clientKey: cluster.clientKey && path(cluster.clientKey),
        tlsServerName: cluster.tlsServerName,
        tlsSkipVerify: cluster.tlsSkipVerify,
      },
      source: () => block,
    },
    envLayer({ ...inputs.env, NOMAD_TOKEN: undefined }),
    projectLayer(project),
  ];
  const target = targetFrom(cluster.name, layers);
  return {
    ...target,
    token: (inputs.flags?.token ? target.token : undefined) ?? clusterToken(cluster, inputs, path),
    after: cluster.after,
    varFiles: cluster.varFiles.map(path),
  };
}

function clusterToken(
  cluster: ClusterDeclaration,
  inputs: TargetInputs,
  path: (file: string) => string,
): Sourced<string> | undefined {
  if (cluster.tokenFile !== undefined) {
    const file = path(cluster.tokenFile);
    let token: string;
    try {
      token = (inputs.readFile ?? unreadable)(file).trim();
    } catch (caught) {
      throw new UserError(
        `cannot read the token file of cluster "${cluster.name}" (${file}): ${(caught as Error).message}`,
        {
          code: 'unreadable_token_file',
          hint: `Fix token_file of cluster "${cluster.name}", or name an environment variable with token_env.`,
        },
      );
    }
    return token === '' ? undefined : { value: token, source: file };
  }
  const variable = cluster.tokenEnv ?? NAMES.token.env;
  const token = inputs.env[variable]?.trim();
  return token ? { value: token, source: variable } : undefined;
}

/** How messages name a cluster block: `cluster "prod" in deploy/drover.hcl`. */
function blockName(cluster: ClusterDeclaration, project: ProjectTarget): string {
  return `cluster "${cluster.name}" in ${project.source}`;
}

function unreadable(): never {
  throw new Error('no file reader given');
}

function targetFrom(name: string, layers: readonly Layer[]): Target {
  const address = pick(layers, 'address') ?? { value: DEFAULT_NOMAD_ADDRESS, source: 'default' };
  return {
    name,
    after: [],
    varFiles: [],
    address: { value: address.value.replace(/\/+$/, ''), source: address.source },
    token: pick(layers, 'token'),
    namespace: pick(layers, 'namespace'),
    region: pick(layers, 'region'),
    tls: {
      caCert: pick(layers, 'caCert'),
      caPath: pick(layers, 'caPath'),
      clientCert: pick(layers, 'clientCert'),
      clientKey: pick(layers, 'clientKey'),
      serverName: pick(layers, 'tlsServerName'),
      skipVerify: pick(layers, 'tlsSkipVerify') ?? { value: false, source: 'default' },
    },
  };
}

/** The first layer that sets the setting; an empty value sets nothing, as with the Nomad CLI. */
function pick<S extends Setting>(
  layers: readonly Layer[],
  setting: S,
): Sourced<NonNullable<TargetFlags[S]>> | undefined {
  for (const layer of layers) {
    const value = layer.values[setting];
    if (value !== undefined && value !== '') return { value, source: layer.source(setting) };
  }
  return undefined;
}

function flagLayer(flags: TargetFlags): Layer {
  return { values: { ...flags, token: flags.token?.trim() }, source: (setting) => NAMES[setting].flag };
}

function envLayer(env: Environment): Layer {
  const read = (setting: Setting) => env[NAMES[setting].env];
  const skipVerify = read('tlsSkipVerify');
  return {
    values: {
      address: read('address'),
      token: read('token'),
      namespace: read('namespace'),
      region: read('region'),
      caCert: read('caCert'),
      caPath: read('caPath'),
      clientCert: read('clientCert'),
      clientKey: read('clientKey'),
      tlsServerName: read('tlsServerName'),
      tlsSkipVerify: skipVerify === undefined ? undefined : parseGoBool(skipVerify),
    },
    source: (setting) => NAMES[setting].env,
  };
}

function projectLayer(project: ProjectTarget): Layer {
  return { values: { namespace: project.namespace, region: project.region }, source: () => project.source };
}

/** Go's strconv.ParseBool, which the Nomad CLI uses for NOMAD_SKIP_VERIFY; undefined when unparsable. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}
