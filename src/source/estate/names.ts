import { BUILT_IN_NODE_POOLS } from '../../nomad/endpoints/node-pools.js';

/**
 * Nomad's rules for the names of estate objects (nomad/structs: Namespace.Validate, NodePool.Validate,
 * ACLPolicy.Validate, ACLRole.Validate, ValidatePath for variables), checked offline. Each check answers the
 * problem in words, or undefined when the name is one Nomad takes.
 */

const NAMESPACE_NAME = /^[a-zA-Z0-9-]{1,128}$/;
const NODE_POOL_NAME = /^[a-zA-Z0-9-_]{1,128}$/;
const ACL_NAME = /^[a-zA-Z0-9-]{1,128}$/;
const VARIABLE_PATH = /^[a-zA-Z0-9-_~/]{1,128}$/;

/** Nomad's description limit for namespaces, node pools, ACL policies and roles, in bytes (Go's len). */
export const MAX_DESCRIPTION_BYTES = 256;

/** The unencrypted size Nomad allows a variable: its item names and values together, in bytes. */
export const MAX_VARIABLE_BYTES = 64 * 1024;

const lengthProblem = (name: string) =>
  name.length === 0 ? 'it is empty' : name.length > 128 ? `it has ${name.length} characters` : undefined;

export function namespaceNameProblem(name: string): string | undefined {
  if (NAMESPACE_NAME.test(name)) return undefined;
  return `A namespace name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$)${because(name, /[^a-zA-Z0-9-]/u)}.`;
}

export function nodePoolNameProblem(name: string): string | undefined {
  if (BUILT_IN_NODE_POOLS.includes(name))
    return `"${name}" is one of Nomad's built-in node pools (all, default), which cannot be changed; name your own pool.`;
  if (NODE_POOL_NAME.test(name)) return undefined;
  return `A node pool name is 1 to 128 letters, digits, dashes and underscores (Nomad's ^[a-zA-Z0-9-_]{1,128}$)${because(name, /[^a-zA-Z0-9_-]/u)}.`;
}

export function aclNameProblem(what: 'ACL policy' | 'ACL role', name: string): string | undefined {
  if (ACL_NAME.test(name)) return undefined;
  return `An ${what} name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$)${because(name, /[^a-zA-Z0-9-]/u)}.`;
}

/** A variable's path, by Nomad's ValidatePath: its characters, then what it reserves under "nomad/". */
export function variablePathProblem(path: string): string | undefined {
  if (!VARIABLE_PATH.test(path))
    return `A variable path is 1 to 128 letters, digits and - _ ~ / (Nomad's ^[a-zA-Z0-9-_~/]{1,128}$)${because(path, /[^a-zA-Z0-9_~/-]/u)}.`;
  const parts = path.split('/');
  if (parts[0] !== 'nomad') return undefined;
  if (parts.length === 1)
    return '"nomad" is a reserved top-level directory path, but you may write variables to "nomad/jobs", "nomad/job-templates", "nomad/sentinel", or below.';
  if (parts[1] === 'jobs' || parts[1] === 'sentinel') return undefined;
  if (parts[1] === 'job-templates')
    return parts.length === 3
      ? undefined
      : '"nomad/job-templates" is a reserved directory path, but you may write variables at the level below it, for example "nomad/job-templates/template-name".';
  return 'Only paths at "nomad/jobs" or "nomad/job-templates" and below are valid under the top-level "nomad" directory.';
}

/** Why a name fails the pattern: its length, or the first character it may not hold. */
function because(name: string, forbidden: RegExp): string {
  const length = lengthProblem(name);
  if (length) return `; ${length}`;
  const bad = forbidden.exec(name)?.[0];
  return bad === undefined ? '' : `; ${JSON.stringify(bad)} is not allowed`;
}

/** The bytes Go's len() counts in a string. */
export const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');
