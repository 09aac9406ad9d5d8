import { UserError } from '../errors.js';

/** What every Nomad error knows about the request that failed (never the token). */
export interface RequestContext {
  readonly method: string;
  readonly path: string;
  readonly address: string;
  /** Where the address came from: "--address", "NOMAD_ADDR", "default". */
  readonly addressSource: string;
  readonly namespace?: string;
}

/** Nomad answered with an error status. The body is Nomad's own plain text. */
export class NomadApiError extends UserError {
  readonly status: number;
  readonly body: string;
  readonly request: RequestContext;
  /** X-Nomad-Index of the error response (Nomad sets it before deciding a 404); 0 when absent. */
  index = 0;

  constructor(
    status: number,
    body: string,
    request: RequestContext,
    options: { hint?: string; code?: string } = {},
  ) {
    const text = body.trim() === '' ? `HTTP ${status}` : body.trim();
    super(`${request.method} ${request.path}: Nomad said: ${text}`, {
      code: options.code ?? `nomad_${status}`,
      hint: options.hint,
    });
    this.status = status;
    this.body = body;
    this.request = request;
  }
}

/** 400: Nomad rejected the request body or parameters; its text says why. */
export class NomadValidationError extends NomadApiError {
  constructor(body: string, request: RequestContext) {
    super(400, body, request, {
      code: 'nomad_invalid',
      hint: 'Nomad rejected the request; its message above says why.',
    });
  }
}

/** 403: the token lacks a capability (or is unknown). */
export class NomadPermissionError extends NomadApiError {
  readonly capability: string | undefined;

  constructor(
    body: string,
    request: RequestContext,
    capability: string | undefined,
    tokenSource: string | undefined,
  ) {
    const where = `namespace "${request.namespace ?? 'default'}" at ${request.address}`;
    const needs = capability ? `the "${capability}" capability` : 'a capability this request needs';
    const token = tokenSource
      ? `the token from ${tokenSource}`
      : 'no token (set NOMAD_TOKEN or --token; the anonymous policy applies)';
    super(403, body, request, {
      code: 'nomad_forbidden',
      // Nomad answers an unknown or expired token with the same 403, so both causes are named.
      hint: `Permission denied for ${where}: ${token} probably lacks ${needs}${tokenSource ? ', or is not a token this cluster knows (Nomad says the same for both)' : ''}.`,
    });
    this.capability = capability;
  }
}

export class NomadNotFoundError extends NomadApiError {
  constructor(body: string, request: RequestContext) {
    super(404, body, request, { code: 'nomad_not_found' });
  }
}

/** 5xx. Nomad also reports many validation failures and RPC "not found"s as 500. */
export class NomadServerError extends NomadApiError {
  get noLeader(): boolean {
    return /No cluster leader|Not ready to serve consistent reads/.test(this.body);
  }

  constructor(status: number, body: string, request: RequestContext) {
    super(status, body, request, {
      code: 'nomad_server_error',
      hint: /No cluster leader/.test(body)
        ? 'The Nomad servers have no leader right now; reads can retry, writes were not sent again.'
        : undefined,
    });
  }
}

/** Registration refused by EnforceIndex: the job changed since it was read (or exists when it should not). */
export class NomadEnforceIndexError extends NomadServerError {
  /** The index drover sent. */
  readonly expectedIndex: number;
  /** The job's current JobModifyIndex, when Nomad says it; null when the job exists but was expected not to, or is gone. */
  readonly actualIndex: number | null;
  readonly reason: 'conflict' | 'exists' | 'missing';

  constructor(body: string, request: RequestContext) {
    super(500, body, request);
    const expected = /Enforcing job modify index (\d+)/.exec(body);
    const actual = /conflicting job modify index: (\d+)/.exec(body);
    this.expectedIndex = expected ? Number(expected[1]) : 0;
    this.actualIndex = actual ? Number(actual[1]) : null;
    this.reason = actual ? 'conflict' : /does not exist/.test(body) ? 'missing' : 'exists';
  }
}

/** Nomad's Job.Revert refusal of an EnforcePriorVersion that no longer holds. */
export const ENFORCE_VERSION = /Current job has version (\d+); enforcing version (\d+)/;

/** A revert refused by EnforcePriorVersion: the job is no longer at the version drover planned against. */
export class NomadEnforceVersionError extends NomadServerError {
  /** The version drover sent as the one the job is at. */
  readonly expectedVersion: number;
  /** The version the job is at now. */
  readonly actualVersion: number;

  constructor(body: string, request: RequestContext) {
    super(500, body, request);
    const refused = ENFORCE_VERSION.exec(body);
    this.actualVersion = refused ? Number(refused[1]) : 0;
    this.expectedVersion = refused ? Number(refused[2]) : 0;
  }
}

/** The objects beside jobs that drover keeps (issue 26), named as Nomad's messages name them. */
export type ObjectKind = 'namespace' | 'node pool' | 'ACL policy' | 'ACL role' | 'variable';

/** What an object still holds when Nomad refuses to delete it. */
export type ObjectHolding = 'jobs' | 'allocations' | 'volumes' | 'variables' | 'quotas' | 'nodes';

/**
 * Nomad has no such object: the 404 of a read, or the "not found" Nomad answers a delete or an update with (500 or
 * 400, depending on the kind). `objectName` is a role's ID where the request addressed the role by ID.
 */
export class NomadObjectNotFoundError extends NomadApiError {
  constructor(
    readonly kind: ObjectKind,
    readonly objectName: string,
    status: number,
    body: string,
    request: RequestContext,
  ) {
    super(status, body, request, { code: 'nomad_object_not_found' });
  }
}

/** Nomad refused to write the object: a field it does not accept, a name unlike the path's, a missing reference. */
export class NomadObjectRefusedError extends NomadApiError {
  constructor(
    readonly kind: ObjectKind,
    readonly objectName: string,
    /** Nomad's reasons, one per item of its list (or its one sentence). */
    readonly problems: readonly string[],
    status: number,
    body: string,
    request: RequestContext,
    /** An object the written one names and Nomad does not have (a role's policy, a namespace's quota). */
    readonly missing?: { readonly kind: 'ACL policy' | 'quota'; readonly name: string },
    hint?: string,
  ) {
    super(status, body, request, {
      code: 'nomad_object_refused',
      hint: hint ?? `Nomad refused the ${kind} "${objectName}"; its message above says why.`,
    });
  }
}

/** Refused because the object uses what only Nomad Enterprise has ("… is unlicensed" on open-source Nomad). */
export class NomadUnlicensedError extends NomadObjectRefusedError {
  constructor(
    kind: ObjectKind,
    objectName: string,
    /** Nomad's names for them: "Node Pools Governance", "Multi-Cluster Vault", "Multi-Cluster Consul". */
    readonly features: readonly string[],
    problems: readonly string[],
    status: number,
    body: string,
    request: RequestContext,
  ) {
    super(
      kind,
      objectName,
      problems,
      status,
      body,
      request,
      undefined,
      `${features.join(', ')} ${features.length === 1 ? 'is a' : 'are'} Nomad Enterprise feature${features.length === 1 ? '' : 's'}: this Nomad refuses the ${kind} "${objectName}" while it uses ${features.length === 1 ? 'it' : 'them'}.`,
    );
  }
}

/** Nomad refused to delete the object: something still runs in it, is placed on it or belongs to it. */
export class NomadObjectInUseError extends NomadApiError {
  constructor(
    readonly kind: ObjectKind,
    readonly objectName: string,
    readonly holds: readonly ObjectHolding[],
    status: number,
    body: string,
    request: RequestContext,
  ) {
    super(status, body, request, {
      code: 'nomad_object_in_use',
      hint: `The ${kind} "${objectName}" still has ${holds.join(', ')}: Nomad deletes it only once they are gone (jobs stopped, their allocations finished, variables deleted).`,
    });
  }
}

/** The object is built in (namespace "default", node pools "default" and "all"): Nomad refuses to change or delete it. */
export class NomadBuiltInObjectError extends NomadApiError {
  constructor(
    readonly kind: ObjectKind,
    readonly objectName: string,
    status: number,
    body: string,
    request: RequestContext,
  ) {
    super(status, body, request, {
      code: 'nomad_built_in',
      hint: `The ${kind} "${objectName}" is built into Nomad: it cannot be changed or deleted.`,
    });
  }
}

/** The cluster runs without ACLs, so it has no ACL policies or roles to read or write. */
export class NomadAclDisabledError extends NomadApiError {
  constructor(status: number, body: string, request: RequestContext) {
    super(status, body, request, {
      code: 'nomad_acl_disabled',
      hint: 'This Nomad runs with ACLs disabled (acl { enabled = false }): ACL policies and roles exist only where ACLs are on.',
    });
  }
}

/** Nomad could not be reached at all, or the connection broke. */
export class NomadConnectionError extends UserError {
  readonly request: RequestContext;
  readonly kind: 'refused' | 'unresolved' | 'reset' | 'timeout' | 'tls';

  constructor(kind: NomadConnectionError['kind'], detail: string, request: RequestContext, hint?: string) {
    const what: Record<NomadConnectionError['kind'], string> = {
      refused: 'connection refused',
      unresolved: 'host not found',
      reset: 'connection closed by the other side',
      timeout: 'timed out',
      tls: 'TLS failure',
    };
    super(
      `cannot reach Nomad at ${request.address} (from ${request.addressSource}): ${what[kind]}${detail ? `: ${detail}` : ''}`,
      {
        code: `nomad_${kind === 'tls' ? 'tls' : kind === 'timeout' ? 'timeout' : 'unreachable'}`,
        hint:
          hint ??
          (kind === 'timeout'
            ? 'Nomad did not answer in time; check the address, or raise the timeout.'
            : `Is Nomad running there? Set NOMAD_ADDR or --address to the right address.`),
      },
    );
    this.kind = kind;
    this.request = request;
  }
}

/** The server at the address answered, but not as Nomad's HTTP API does (a web server, a proxy, a wrong path). */
export class NotNomadError extends UserError {
  readonly request: RequestContext;

  constructor(what: string, request: RequestContext) {
    super(
      `the server at ${request.address} (from ${request.addressSource}) does not answer like Nomad: ${request.method} ${request.path} got ${what}`,
      {
        code: 'not_nomad',
        hint: "Point NOMAD_ADDR (or --address) at a Nomad agent's HTTP API, usually port 4646, without a path.",
      },
    );
    this.request = request;
  }
}

/**
 * The event stream could not be had or kept: refused (Nomad 2.0.5 answers a refused stream with 200 and then
 * silence, whether the cause is the token or a disabled event broker), cut again and again, or answered with an
 * error status. Callers that can wait another way (blocking queries) do so.
 */
export class EventStreamUnavailableError extends UserError {
  constructor(readonly reason: string) {
    super(`the event stream is unavailable: ${reason}`, {
      code: 'event_stream_unavailable',
      hint: 'Follow with blocking queries instead (--watch blocking).',
    });
  }
}
