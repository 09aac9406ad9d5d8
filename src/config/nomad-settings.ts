/**
 * Where drover finds the Nomad cluster: each setting from a flag, else the environment variable the Nomad CLI
 * reads, else a default. Every value remembers where it came from, so an error can say "NOMAD_ADDR" or "--address".
 */
export interface Sourced<T> {
  readonly value: T;
  /** "--address", "NOMAD_ADDR" or "default": named in error messages. */
  readonly source: string;
}

export interface NomadSettings {
  readonly address: Sourced<string>;
  /** Never printed, logged or saved. */
  readonly token?: Sourced<string>;
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

export interface NomadFlagValues {
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

export const DEFAULT_NOMAD_ADDRESS = 'http://127.0.0.1:4646';

type Env = Readonly<Record<string, string | undefined>>;

function pick(
  flag: string | undefined,
  flagName: string,
  env: Env,
  envName: string,
): Sourced<string> | undefined {
  if (flag !== undefined && flag !== '') return { value: flag, source: flagName };
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: envName };
  return undefined;
}

/** Go's strconv.ParseBool, which the Nomad CLI uses for NOMAD_SKIP_VERIFY; undefined when unparsable. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function resolveNomadSettings(flags: NomadFlagValues, env: Env): NomadSettings {
  const address = pick(flags.address, '--address', env, 'NOMAD_ADDR') ?? {
    value: DEFAULT_NOMAD_ADDRESS,
    source: 'default',
  };
  const envSkip = env.NOMAD_SKIP_VERIFY === undefined ? undefined : parseGoBool(env.NOMAD_SKIP_VERIFY);
  const skipVerify: Sourced<boolean> =
    flags.tlsSkipVerify !== undefined
      ? { value: flags.tlsSkipVerify, source: '--tls-skip-verify' }
      : envSkip !== undefined
        ? { value: envSkip, source: 'NOMAD_SKIP_VERIFY' }
        : { value: false, source: 'default' };
  return {
    address: { value: address.value.replace(/\/+$/, ''), source: address.source },
    token: pick(flags.token?.trim(), '--token', env, 'NOMAD_TOKEN'),
    namespace: pick(flags.namespace, '--namespace', env, 'NOMAD_NAMESPACE'),
    region: pick(flags.region, '--region', env, 'NOMAD_REGION'),
    tls: {
      caCert: pick(flags.caCert, '--ca-cert', env, 'NOMAD_CACERT'),
      caPath: pick(flags.caPath, '--ca-path', env, 'NOMAD_CAPATH'),
      clientCert: pick(flags.clientCert, '--client-cert', env, 'NOMAD_CLIENT_CERT'),
      clientKey: pick(flags.clientKey, '--client-key', env, 'NOMAD_CLIENT_KEY'),
      serverName: pick(flags.tlsServerName, '--tls-server-name', env, 'NOMAD_TLS_SERVER_NAME'),
      skipVerify,
    },
  };
}
