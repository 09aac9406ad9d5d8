/**
 * Nomad's answers about namespaces, node pools, ACL policies, ACL roles and variables, read into typed errors.
 * Nomad says these things in plain text (answers recorded in test/fixtures/nomad-2.0.5/estate.json); this is the
 * one place that reads that text, so callers decide on classes and fields, never on wording.
 */
import {
  NomadAclDisabledError,
  NomadApiError,
  NomadBuiltInObjectError,
  NomadObjectInUseError,
  NomadObjectNotFoundError,
  NomadObjectRefusedError,
  NomadUnlicensedError,
  type ObjectHolding,
  type ObjectKind,
} from './errors.js';
import type { ApiResponse } from './transport.js';

/** The items of a hashicorp/go-multierror text (`\t* item` lines), or the whole text when it is not one. */
export function multierrorItems(text: string): string[] {
  const items = text
    .split('\n')
    .filter((line) => line.startsWith('\t* '))
    .map((line) => line.slice(3));
  return items.length > 0 ? items : [text.trim()];
}

const UNLICENSED = /(?:Feature "([^"]+)"|([A-Z][\w -]*?)) is unlicensed/;

const ACL_DISABLED = 'ACL support disabled';

const HOLDINGS: ReadonlyArray<readonly [RegExp, ObjectHolding]> = [
  [/has non-terminal jobs in regions/, 'jobs'],
  [/has non-terminal allocations in regions/, 'allocations'],
  [/has volumes associated with it/, 'volumes'],
  [/has variables associated with it/, 'variables'],
  [/has quotas associated with it/, 'quotas'],
  [/has nodes in regions/, 'nodes'],
];

/**
 * The typed error for a failed request about one object (its kind and name, a role's ID where the request used
 * one); anything this does not recognise is returned as it came (a 403 stays a NomadPermissionError).
 */
export function objectError(error: unknown, kind: ObjectKind, name: string): unknown {
  if (!(error instanceof NomadApiError)) return error;
  const { status, body, request } = error;
  const text = body.trim();
  const typed = (() => {
    if (status === 403) return undefined;
    if (text === ACL_DISABLED) return new NomadAclDisabledError(status, body, request);
    if (status === 404 || isNotFound(text))
      return new NomadObjectNotFoundError(kind, name, status, body, request);
    if (
      /^can not delete default namespace$|^(?:modifying|deleting) node pool ".*" is not allowed$/.test(text)
    )
      return new NomadBuiltInObjectError(kind, name, status, body, request);
    const items = multierrorItems(text);
    const holds = HOLDINGS.filter(([pattern]) => items.some((item) => pattern.test(item))).map(
      ([, holding]) => holding,
    );
    if (holds.length > 0) return new NomadObjectInUseError(kind, name, holds, status, body, request);
    const features = items
      .map((item) => UNLICENSED.exec(item))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => match[1] ?? match[2]!);
    if (features.length > 0)
      return new NomadUnlicensedError(kind, name, features, items, status, body, request);
    if (isRefusal(status, text))
      return new NomadObjectRefusedError(kind, name, items, status, body, request, missingReference(text));
    return undefined;
  })();
  if (typed) typed.index = error.index;
  return typed ?? error;
}

/** "namespace not found", "node pool X not found", "ACL role not found", "cannot find role <id>" (an update). */
function isNotFound(text: string): boolean {
  return /^(?:namespace not found|node pool .* not found|ACL role not found|cannot find role .*)$/.test(text);
}

/** Validation and request refusals: 400s, and the 500s Nomad answers a namespace it will not store with. */
function isRefusal(status: number, text: string): boolean {
  return status === 400 || /^Invalid namespace ".*":|^namespace ".*" using non-existent quota/.test(text);
}

function missingReference(text: string): NomadObjectRefusedError['missing'] {
  const policy = /^cannot find policy (.+)$/.exec(text);
  if (policy) return { kind: 'ACL policy', name: policy[1]! };
  const quota = /using non-existent quota "(.*)"$/.exec(text);
  if (quota) return { kind: 'quota', name: quota[1]! };
  return undefined;
}

/** Runs a request about one object, turning Nomad's refusals into the typed errors above. */
export async function aboutObject<T>(kind: ObjectKind, name: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    throw objectError(error, kind, name);
  }
}

/** A read's answer, or null in the answer's place when Nomad has no such object (with the index it gave). */
export async function orNull<T>(read: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T | null>> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof NomadObjectNotFoundError)
      return {
        body: null,
        meta: { status: error.status, index: error.index, knownLeader: true, lastContactMs: 0 },
      };
    throw error;
  }
}

/** Runs a request to the ACL system, turning only its "ACL support disabled" into NomadAclDisabledError. */
export async function aclRequest<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof NomadApiError && error.body.trim() === ACL_DISABLED) {
      const typed = new NomadAclDisabledError(error.status, error.body, error.request);
      typed.index = error.index;
      throw typed;
    }
    throw error;
  }
}
