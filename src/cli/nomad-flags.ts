import * as Flags from '@oclif/core/flags';
import type { NomadAccess } from '../actions/nomad-access.js';
import type { Environment, TargetFlags } from '../config/target.js';
import type { Logger } from '../util/logger.js';

/**
 * How to reach Nomad. The matching NOMAD_* variables are read by config/target (not by oclif), so every value
 * knows its source for error messages.
 */
export const nomadFlags = {
  address: Flags.string({
    summary: 'Nomad HTTP address [env: NOMAD_ADDR] (default http://127.0.0.1:4646).',
    helpGroup: 'NOMAD',
  }),
  token: Flags.string({
    summary: 'ACL token [env: NOMAD_TOKEN]; prefer the variable, flags show up in ps.',
    helpGroup: 'NOMAD',
  }),
  namespace: Flags.string({ summary: 'Namespace [env: NOMAD_NAMESPACE].', helpGroup: 'NOMAD' }),
  region: Flags.string({ summary: 'Region [env: NOMAD_REGION].', helpGroup: 'NOMAD' }),
  'ca-cert': Flags.string({ summary: 'CA certificate file [env: NOMAD_CACERT].', helpGroup: 'NOMAD' }),
  'ca-path': Flags.string({
    summary: 'Directory of CA certificates [env: NOMAD_CAPATH].',
    helpGroup: 'NOMAD',
  }),
  'client-cert': Flags.string({
    summary: 'Client certificate for mTLS [env: NOMAD_CLIENT_CERT].',
    helpGroup: 'NOMAD',
  }),
  'client-key': Flags.string({ summary: 'Client key for mTLS [env: NOMAD_CLIENT_KEY].', helpGroup: 'NOMAD' }),
  'tls-server-name': Flags.string({
    summary: 'Name to verify the certificate against [env: NOMAD_TLS_SERVER_NAME].',
    helpGroup: 'NOMAD',
  }),
  'tls-skip-verify': Flags.boolean({
    summary: 'Do not verify TLS certificates [env: NOMAD_SKIP_VERIFY].',
    helpGroup: 'NOMAD',
    allowNo: true,
  }),
};

type NomadFlagInput = {
  address?: string;
  token?: string;
  namespace?: string;
  region?: string;
  'ca-cert'?: string;
  'ca-path'?: string;
  'client-cert'?: string;
  'client-key'?: string;
  'tls-server-name'?: string;
  'tls-skip-verify'?: boolean;
};

export function targetFlagsFrom(flags: NomadFlagInput): TargetFlags {
  return {
    address: flags.address,
    token: flags.token,
    namespace: flags.namespace,
    region: flags.region,
    caCert: flags['ca-cert'],
    caPath: flags['ca-path'],
    clientCert: flags['client-cert'],
    clientKey: flags['client-key'],
    tlsServerName: flags['tls-server-name'],
    tlsSkipVerify: flags['tls-skip-verify'],
  };
}

/** What a command hands its action to reach Nomad, and how it closes what the action connected. */
export interface NomadSession {
  readonly access: NomadAccess;
  close(): Promise<void>;
}

/** The clients are imported lazily: undici costs ~50 ms of start-up that --help and version should not pay. */
export async function openNomadSession(
  flags: NomadFlagInput,
  env: Environment,
  logger: Logger,
): Promise<NomadSession> {
  const { connections } = await import('../nomad/connect.js');
  const pool = connections({ logger });
  return {
    access: { nomad: targetFlagsFrom(flags), env, connect: pool.connect, logger },
    close: () => pool.close(),
  };
}
