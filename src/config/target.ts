/**
 * Which Nomad to talk to, resolved once: each setting from a flag, else the environment variable the Nomad CLI
 * reads, else the project file (drover.hcl), else a default. Pure: the environment and the project file arrive as
 * values. Every value remembers where it came from, so an error can say "the token from NOMAD_TOKEN" without
 * showing the token.
 */
import type { Sourced } from '../util/sourced.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Target {
  /** "default" while drover.hcl declares no clusters. */
  readonly name: string;
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
}

export interface TargetInputs {
  readonly flags?: TargetFlags;
  /** NOMAD_ADDR, NOMAD_TOKEN and the rest: the caller reads the process environment, never this module. */
  readonly env: Environment;
  readonly project?: ProjectTarget;
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
 * The targets the inputs describe, in order. One, named "default", until drover.hcl declares `cluster` blocks:
 * each will be a target resolved from the same layers with its block between the environment and the file.
 */
export function resolveTargets(inputs: TargetInputs): readonly [Target, ...Target[]] {
  const layers = [flagLayer(inputs.flags ?? {}), envLayer(inputs.env)];
  if (inputs.project) layers.push(projectLayer(inputs.project));
  return [targetFrom(DEFAULT_TARGET_NAME, layers)];
}

function targetFrom(name: string, layers: readonly Layer[]): Target {
  const address = pick(layers, 'address') ?? { value: DEFAULT_NOMAD_ADDRESS, source: 'default' };
  return {
    name,
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
