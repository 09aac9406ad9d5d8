import type { Logger } from '../util/logger.js';
import type { Sourced } from '../util/sourced.js';
import { NomadClient } from './client.js';
import { SharedConnections } from './transport.js';

/**
 * How to reach one Nomad, each setting with where it came from (errors name the source, never the token). This is
 * the shape of config/'s Target, stated here because nomad/ imports nothing of config/ (the dependency rule).
 */
export interface ConnectionSettings {
  readonly address: Sourced<string>;
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

export interface ConnectOptions {
  /** Hears every request at debug level (never the token). */
  readonly logger?: Logger;
  /** Sockets shared with other clients of the target's address. */
  readonly shared?: SharedConnections;
}

/** A client for the target: `connect(resolveTargets({ env: process.env })[0])` reaches Nomad as the CLI does. */
export function connect(target: ConnectionSettings, options: ConnectOptions = {}): NomadClient {
  const { tls } = target;
  return new NomadClient({
    address: target.address.value,
    addressSource: target.address.source,
    token: target.token?.value,
    tokenSource: target.token?.source,
    namespace: target.namespace?.value,
    region: target.region?.value,
    tls: {
      caCert: tls.caCert?.value,
      caPath: tls.caPath?.value,
      clientCert: tls.clientCert?.value,
      clientKey: tls.clientKey?.value,
      serverName: tls.serverName?.value,
      skipVerify: tls.skipVerify.value,
    },
    logger: options.logger,
    shared: options.shared,
  });
}

/**
 * What actions are handed to reach Nomad: the client for a target they resolved. An action may ask more than once
 * for the same target (a plan inside an apply): it must get the same client back.
 */
export type Connect = (target: ConnectionSettings) => NomadClient;

export interface Connections {
  readonly connect: Connect;
  /** Closes every client handed out. */
  close(): Promise<void>;
}

/**
 * One client per target, built when first asked for: the `connect` commands and library callers give actions.
 * The clients of one address (its federated regions, other tokens) share its sockets.
 */
export function connections(options: ConnectOptions = {}): Connections {
  const clients = new Map<string, NomadClient>();
  const sockets = new Map<string, SharedConnections>();
  return {
    connect: (target) => {
      // Sources too: a client names them in its errors.
      const key = JSON.stringify([target.address, target.token, target.namespace, target.region, target.tls]);
      let client = clients.get(key);
      if (!client) {
        const where = JSON.stringify([target.address.value, tlsValues(target.tls)]);
        const shared = sockets.get(where) ?? new SharedConnections();
        client = connect(target, { ...options, shared });
        sockets.set(where, shared);
        clients.set(key, client);
      }
      return client;
    },
    close: async () => {
      const open = [...clients.values()];
      clients.clear();
      sockets.clear();
      await Promise.all(open.map((client) => client.close()));
    },
  };
}

const tlsValues = (tls: ConnectionSettings['tls']) =>
  Object.fromEntries(Object.entries(tls).map(([name, setting]) => [name, setting?.value]));
