/**
 * ACL tokens and what they may do (reference §1.2, §9; acl/acl.go NewACL and its Allow* checks). Off by default,
 * like a dev agent. On: a request without a token is the anonymous token (the policy named "anonymous", if there
 * is one), an unknown token is "Permission denied". A token's rules come either from a test (createToken, a
 * TokenSpec) or, for tokens made through /v1/acl/token, from its ACL policies and roles, read at each request as
 * Nomad resolves them (a policy changed or deleted since applies at once).
 */
import { randomUUID } from 'node:crypto';
import { RpcError } from './context.js';
import { parseRules, type ParsedPolicy } from './policy-rules.js';
import { digest, type Store } from './store.js';

export interface NamespaceRule {
  /** Shorthand policy; expands to capabilities as Nomad's acl/policy.go does. */
  readonly policy?: 'read' | 'write' | 'scale' | 'deny';
  readonly capabilities?: readonly string[];
  /**
   * `variables { path "<glob>" { capabilities = [...] } }`: read, list, write, destroy, deny. Only these grant
   * variables; a namespace policy does not (acl/acl.go).
   */
  readonly variables?: Readonly<Record<string, readonly string[]>>;
}

export interface NodePoolRule {
  readonly policy?: 'read' | 'write' | 'deny';
  readonly capabilities?: readonly string[];
}

export interface TokenSpec {
  readonly name?: string;
  readonly management?: boolean;
  /** Namespace name (or glob with *) → rule. */
  readonly namespaces?: Readonly<Record<string, NamespaceRule>>;
  /** Node pool name (or glob with *) → rule. */
  readonly nodePools?: Readonly<Record<string, NodePoolRule>>;
  readonly node?: 'read' | 'write' | 'deny';
  /** Choose the secret (tests); a UUID by default. */
  readonly secretId?: string;
}

export interface Token {
  readonly AccessorID: string;
  readonly SecretID: string;
  readonly Name: string;
  readonly Type: 'client' | 'management';
  /** Rules a test gave the token; tokens made through the API have their policies and roles instead. */
  readonly spec?: TokenSpec;
  readonly Policies: string[] | null;
  readonly Roles: Array<{ ID: string; Name: string }> | null;
  readonly Global: boolean;
  readonly Hash: string | null;
  readonly CreateTime: string;
  readonly CreateIndex: number;
  readonly ModifyIndex: number;
}

/** What a token may do, compiled from its rules (acl.ACL). */
interface Grants {
  readonly management: boolean;
  /** Namespace name or glob → capabilities ({deny} when denied). */
  readonly namespaces: Map<string, Set<string>>;
  /** `namespace\0path` (either may be a glob) → capabilities. */
  readonly variables: Map<string, Set<string>>;
  readonly nodePools: Map<string, Set<string>>;
  node: string;
}

const READ = [
  'list-jobs',
  'parse-job',
  'read-job',
  'csi-list-volume',
  'csi-read-volume',
  'read-job-scaling',
  'list-scaling-policies',
  'read-scaling-policy',
  'host-volume-read',
];
const WRITE = [
  ...READ,
  'scale-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-lifecycle',
  'csi-mount-volume',
  'csi-write-volume',
  'submit-recommendation',
  'host-volume-create',
];
const SCALE = [
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'read-job',
  'submit-recommendation',
];
/** Fine-grained capabilities that submit-job implies. */
const SUBMIT_IMPLIES = [
  'register-job',
  'plan-job',
  'revert-job',
  'stable-job',
  'evaluate-job',
  'deregister-job',
  'purge-job',
  'tag-job-version',
  'fail-deployment',
  'pause-deployment',
  'promote-deployment',
  'unblock-deployment',
  'cancel-deployment',
  'set-alloc-health-deployment',
  'gc-allocation',
  'force-periodic-job',
];

function specCapabilities(rule: NamespaceRule): string[] {
  const shorthands: Record<string, readonly string[]> = {
    read: READ,
    write: WRITE,
    scale: SCALE,
    deny: ['deny'],
  };
  const shorthand = shorthands[rule.policy ?? ''] ?? [];
  return [...(rule.capabilities ?? []), ...shorthand];
}

function nodePoolCapabilities(rule: NodePoolRule): string[] {
  const shorthands: Record<string, readonly string[]> = {
    read: ['read'],
    write: ['delete', 'read', 'write'],
    deny: ['deny'],
  };
  return [...(rule.capabilities ?? []), ...(shorthands[rule.policy ?? ''] ?? [])];
}

/** Adds capabilities under a key as NewACL does: a deny, once there, stays alone. */
function grant(map: Map<string, Set<string>>, key: string, capabilities: Iterable<string>): void {
  const set = map.get(key) ?? new Set<string>();
  map.set(key, set);
  if (set.has('deny')) return;
  for (const cap of capabilities) {
    if (cap === 'deny') {
      set.clear();
      set.add('deny');
      return;
    }
    set.add(cap);
  }
}

/** What a management token (or any request with ACLs off) may do: everything; read, never changed. */
const MANAGEMENT: Grants = {
  management: true,
  namespaces: new Map(),
  variables: new Map(),
  nodePools: new Map(),
  node: 'write',
};

/** maxPrivilege: deny, then write, then read. */
const maxPrivilege = (a: string, b: string) =>
  ['deny', 'write', 'read', 'list'].find((p) => a === p || b === p) ?? '';

function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
}

/** The exact name's set, else the closest matching glob's (the one that leaves the fewest characters to `*`). */
function matching(map: Map<string, Set<string>>, name: string): Set<string> | undefined {
  const exact = map.get(name);
  if (exact && !name.includes('*')) return exact;
  return [...map]
    .filter(([pattern]) => pattern.includes('*') && globMatch(pattern, name))
    .sort(([a], [b]) => b.length - a.length)[0]?.[1];
}

export interface Need {
  readonly namespace?: string;
  /** Any one of these namespace capabilities suffices. */
  readonly capabilities?: readonly string[];
  readonly node?: 'read' | 'write';
  readonly management?: boolean;
}

export class Acl {
  enabled = false;
  private readonly tokens = new Map<string, Token>();

  constructor(private readonly store: Store) {}

  /** A token with the rules a test gives it (not stored in Nomad's tables; for the simulator's tests). */
  createToken(spec: TokenSpec): Token {
    const token: Token = {
      AccessorID: randomUUID(),
      SecretID: spec.secretId ?? randomUUID(),
      Name: spec.name ?? 'simulated token',
      Type: spec.management ? 'management' : 'client',
      spec,
      Policies: spec.management ? null : [],
      Roles: null,
      Global: Boolean(spec.management),
      Hash: digest(randomUUID()),
      CreateTime: new Date().toISOString(),
      CreateIndex: this.store.index,
      ModifyIndex: this.store.index,
    };
    this.tokens.set(token.SecretID, token);
    return token;
  }

  /** A token made through the API (/v1/acl/token), linked to policies and roles by name. */
  addToken(token: Omit<Token, 'SecretID' | 'AccessorID'>): Token {
    const made = { ...token, AccessorID: randomUUID(), SecretID: randomUUID() };
    this.tokens.set(made.SecretID, made);
    return made;
  }

  /** The token a secret names: undefined for no secret (the anonymous token), null for one Nomad does not know. */
  token(secret: string | undefined): Token | undefined | null {
    if (!secret) return undefined;
    return this.tokens.get(secret) ?? null;
  }

  /** Reads X-Nomad-Token, else `Authorization: Bearer`. */
  static secretFrom(headers: Record<string, string | string[] | undefined>): string | undefined {
    const header = headers['x-nomad-token'];
    if (typeof header === 'string' && header.trim() !== '') return header.trim();
    const auth = headers.authorization;
    const match = typeof auth === 'string' ? /^bearer\s+(\S+)/i.exec(auth) : null;
    return match?.[1];
  }

  /** Throws Nomad's 403 when the token may not do this. */
  authorize(secret: string | undefined, need: Need): void {
    if (!this.allows(secret, need)) throw new RpcError(403, 'Permission denied');
  }

  /** Throws Nomad's 403 for a token Nomad does not know (every RPC authenticates first). */
  authenticate(secret: string | undefined): void {
    if (this.enabled && this.token(secret) === null) throw new RpcError(403, 'Permission denied');
  }

  allows(secret: string | undefined, need: Need): boolean {
    const grants = this.grants(secret);
    if (!grants) return false;
    if (grants.management) return true;
    if (need.management) return false;
    if (need.node) {
      if (grants.node === '' || grants.node === 'deny') return false;
      if (need.node === 'write' && grants.node !== 'write') return false;
    }
    if (need.capabilities) {
      const caps = matching(grants.namespaces, need.namespace ?? 'default') ?? new Set();
      if (caps.has('deny') || !need.capabilities.some((c) => caps.has(c))) return false;
    }
    return true;
  }

  /** AllowNamespace: any capability in the namespace that is not a deny. */
  allowsNamespace(secret: string | undefined, namespace: string): boolean {
    const grants = this.grants(secret);
    if (!grants) return false;
    if (grants.management) return true;
    const caps = matching(grants.namespaces, namespace);
    return caps !== undefined && caps.size > 0 && !caps.has('deny');
  }

  /** AllowNodePoolOperation: read, write or delete on the pool. */
  allowsNodePool(secret: string | undefined, pool: string, operation: 'read' | 'write' | 'delete'): boolean {
    const grants = this.grants(secret);
    if (!grants) return false;
    return grants.management || (matching(grants.nodePools, pool)?.has(operation) ?? false);
  }

  /** The accessor Job.Register stamps on a job as its NomadTokenID: the caller's, when ACLs are on. */
  accessorOf(secret: string | undefined): string | undefined {
    if (!this.enabled || !secret) return undefined;
    return this.tokens.get(secret)?.AccessorID;
  }

  isManagement(secret: string | undefined): boolean {
    return this.grants(secret)?.management ?? false;
  }

  /** AllowVariableOperation: the exact path rule, else the closest glob (namespace and path alike). */
  allowsVariable(secret: string | undefined, namespace: string, path: string, capability: string): boolean {
    const grants = this.grants(secret);
    if (!grants) return false;
    if (grants.management) return true;
    const candidates = [...grants.variables].filter(([key]) => {
      const [nsPattern, pathPattern] = key.split('\0') as [string, string];
      return globMatch(nsPattern, namespace) && globMatch(pathPattern, path);
    });
    const exact = candidates.find(([key]) => !key.includes('*'));
    const chosen = exact ?? candidates.sort(([a], [b]) => b.length - a.length)[0];
    return chosen !== undefined && !chosen[1].has('deny') && chosen[1].has(capability);
  }

  /** Namespaces this token holds a capability in (for namespace=* listings). */
  namespaceFilter(secret: string | undefined, capability: string): (namespace: string) => boolean {
    return (namespace) => this.allows(secret, { namespace, capabilities: [capability] });
  }

  /** The policies a token may read: all for management, else those linked to it, directly or through its roles. */
  linkedPolicies(secret: string | undefined): (name: string) => boolean {
    if (this.isManagement(secret)) return () => true;
    const names = new Set(this.policyNames(this.token(secret) ?? undefined));
    return (name) => names.has(name);
  }

  /** The roles a token may read: all for management, else those linked to it. */
  linkedRoles(secret: string | undefined): (role: { ID: string; Name: string }) => boolean {
    if (this.isManagement(secret)) return () => true;
    const links = this.token(secret)?.Roles ?? [];
    return (role) => links.some((link) => link.ID === role.ID);
  }

  /** What the token may do; undefined for a token Nomad does not know. */
  private grants(secret: string | undefined): Grants | undefined {
    if (!this.enabled) return MANAGEMENT;
    const token = this.token(secret);
    if (token === null) return undefined;
    if (token?.Type === 'management' || token?.spec?.management) return MANAGEMENT;
    const grants: Grants = {
      management: false,
      namespaces: new Map(),
      variables: new Map(),
      nodePools: new Map(),
      node: '',
    };
    if (token?.spec) {
      for (const [pattern, rule] of Object.entries(token.spec.namespaces ?? {})) {
        const caps = specCapabilities(rule);
        grant(grants.namespaces, pattern, caps.includes('submit-job') ? [...caps, ...SUBMIT_IMPLIES] : caps);
        for (const [path, pathCaps] of Object.entries(rule.variables ?? {}))
          grant(grants.variables, `${pattern}\0${path}`, withList(pathCaps));
      }
      for (const [pattern, rule] of Object.entries(token.spec.nodePools ?? {}))
        grant(grants.nodePools, pattern, nodePoolCapabilities(rule));
      grants.node = token.spec.node ?? '';
      return grants;
    }
    for (const policy of this.policies(token)) {
      for (const ns of policy.Namespaces ?? []) {
        for (const path of ns.Variables?.Paths ?? [])
          grant(grants.variables, `${ns.Name}\0${path.PathSpec}`, path.Capabilities ?? []);
        const caps = ns.Capabilities ?? [];
        grant(grants.namespaces, ns.Name, caps.includes('submit-job') ? [...caps, ...SUBMIT_IMPLIES] : caps);
      }
      for (const pool of policy.NodePools ?? []) grant(grants.nodePools, pool.Name, pool.Capabilities ?? []);
      if (policy.Node) grants.node = maxPrivilege(grants.node, policy.Node.Policy);
    }
    return grants;
  }

  /** The parsed rules of the policies a token has (the anonymous token: the policy named "anonymous"). */
  private policies(token: Token | undefined): ParsedPolicy[] {
    return this.policyNames(token).flatMap((name) => {
      const policy = this.store.aclPolicies.get(name);
      return policy ? [parseRules(policy.Rules)] : [];
    });
  }

  /** Policy names linked to the token, directly or through roles; policies since deleted are left out. */
  private policyNames(token: Token | undefined): string[] {
    if (!token) return this.store.aclPolicies.has('anonymous') ? ['anonymous'] : [];
    const throughRoles = (token.Roles ?? []).flatMap(
      (link) => this.store.aclRoles.get(link.ID)?.Policies.map((p) => p.Name) ?? [],
    );
    return [...new Set([...(token.Policies ?? []), ...throughRoles])].filter((name) =>
      this.store.aclPolicies.has(name),
    );
  }
}

function withList(capabilities: readonly string[]): string[] {
  if (capabilities.includes('deny')) return ['deny'];
  return capabilities.includes('read') ? [...capabilities, 'list'] : [...capabilities];
}
