/**
 * ACL tokens and namespace capabilities (reference §1.2, §9). Off by default, like a dev agent; when on, a request
 * without a token gets the (empty) anonymous policy and an unknown token is "Permission denied".
 */
import { randomUUID } from 'node:crypto';
import { RpcError } from './context.js';

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

export interface TokenSpec {
  readonly name?: string;
  readonly management?: boolean;
  /** Namespace name (or glob with *) → rule. */
  readonly namespaces?: Readonly<Record<string, NamespaceRule>>;
  readonly node?: 'read' | 'write' | 'deny';
  /** Choose the secret (tests); a UUID by default. */
  readonly secretId?: string;
}

export interface Token {
  readonly AccessorID: string;
  readonly SecretID: string;
  readonly Name: string;
  readonly Type: 'client' | 'management';
  readonly spec: TokenSpec;
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

function capabilitiesOf(rule: NamespaceRule): Set<string> {
  const caps = new Set<string>(rule.capabilities ?? []);
  if (rule.policy === 'read') READ.forEach((c) => caps.add(c));
  if (rule.policy === 'write') WRITE.forEach((c) => caps.add(c));
  if (rule.policy === 'scale') SCALE.forEach((c) => caps.add(c));
  if (caps.has('submit-job')) SUBMIT_IMPLIES.forEach((c) => caps.add(c));
  if (rule.policy === 'deny' || caps.has('deny')) return new Set(['deny']);
  return caps;
}

function globMatch(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return regex.test(value);
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

  createToken(spec: TokenSpec): Token {
    const token: Token = {
      AccessorID: randomUUID(),
      SecretID: spec.secretId ?? randomUUID(),
      Name: spec.name ?? 'simulated token',
      Type: spec.management ? 'management' : 'client',
      spec,
    };
    this.tokens.set(token.SecretID, token);
    return token;
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
    if (!this.enabled || !this.allows(secret, need)) {
      if (this.enabled) throw new RpcError(403, 'Permission denied');
    }
  }

  allows(secret: string | undefined, need: Need): boolean {
    if (!this.enabled) return true;
    const token = secret ? this.tokens.get(secret) : undefined;
    if (secret && !token) return false;
    if (token?.spec.management) return true;
    if (need.management) return false;
    if (need.node) {
      const node = token?.spec.node;
      if (!node || node === 'deny' || (need.node === 'write' && node !== 'write')) return false;
    }
    if (need.capabilities) {
      const caps = this.capabilities(token, need.namespace ?? 'default');
      if (caps.has('deny') || !need.capabilities.some((c) => caps.has(c))) return false;
    }
    return true;
  }

  /** The accessor Job.Register stamps on a job as its NomadTokenID: the caller's, when ACLs are on. */
  accessorOf(secret: string | undefined): string | undefined {
    if (!this.enabled || !secret) return undefined;
    return this.tokens.get(secret)?.AccessorID;
  }

  isManagement(secret: string | undefined): boolean {
    return !this.enabled || Boolean(secret && this.tokens.get(secret)?.spec.management);
  }

  /** AllowVariableOperation: the exact path rule, else the closest glob (namespace and path alike). */
  allowsVariable(secret: string | undefined, namespace: string, path: string, capability: string): boolean {
    if (this.isManagement(secret)) return true;
    const token = secret ? this.tokens.get(secret) : undefined;
    if (secret && !token) return false;
    const candidates: Array<{ pattern: string; caps: readonly string[] }> = [];
    for (const [nsPattern, rule] of Object.entries(token?.spec.namespaces ?? {}))
      for (const [pathPattern, caps] of Object.entries(rule.variables ?? {}))
        if (globMatch(nsPattern, namespace) && globMatch(pathPattern, path))
          candidates.push({ pattern: `${nsPattern}\0${pathPattern}`, caps });
    const exact = candidates.find((c) => !c.pattern.includes('*'));
    const chosen = exact ?? candidates.sort((a, b) => b.pattern.length - a.pattern.length)[0];
    if (!chosen || chosen.caps.includes('deny')) return false;
    const caps = new Set(chosen.caps);
    if (caps.has('read')) caps.add('list');
    return caps.has(capability);
  }

  /** Namespaces this token holds a capability in (for namespace=* listings). */
  namespaceFilter(secret: string | undefined, capability: string): (namespace: string) => boolean {
    return (namespace) => this.allows(secret, { namespace, capabilities: [capability] });
  }

  private capabilities(token: Token | undefined, namespace: string): Set<string> {
    const rules = token?.spec.namespaces ?? {};
    // An exact name wins over globs, as in Nomad.
    const exact = rules[namespace];
    if (exact) return capabilitiesOf(exact);
    const glob = Object.entries(rules)
      .filter(([pattern]) => pattern.includes('*') && globMatch(pattern, namespace))
      .sort(([a], [b]) => b.length - a.length)[0];
    return glob ? capabilitiesOf(glob[1]) : new Set();
  }
}
