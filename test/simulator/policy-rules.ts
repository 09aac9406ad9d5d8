/**
 * ACL policy rules as Nomad 2.0.5 reads them (acl/policy.go Parse): the HCL1 text decoded into acl.Policy, its
 * shorthands expanded, validated, and answered back as a policy's `RulesJSON` (keys sorted, as Nomad writes them).
 * Approximations (test/simulator/README.md): the HCL1 reader covers blocks, strings, lists, numbers and booleans,
 * and its syntax errors are worded like HCL1's but not placed exactly; rules written in JSON are read as objects of
 * blocks; an unknown key anywhere is reported as HCL1's unused keys are at the top.
 */

type Value = string | number | boolean | Value[] | Item[];

interface Item {
  readonly keys: readonly string[];
  readonly value: Value;
}

export class RulesError extends Error {}

// --- HCL1 subset -----------------------------------------------------------------------------------------------

type Token = {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'eof';
  text: string;
  line: number;
  column: number;
};

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  const at = (kind: Token['kind'], value: string, start: number) =>
    tokens.push({ kind, text: value, line, column: start - lineStart + 1 });
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      lineStart = ++i;
    } else if (/\s/.test(c)) i++;
    else if (c === '#' || text.startsWith('//', i)) while (i < text.length && text[i] !== '\n') i++;
    else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new RulesError(`At ${line}:${i - lineStart + 1}: comment not terminated`);
      for (const ch of text.slice(i, end)) if (ch === '\n') line++;
      i = end + 2;
    } else if (c === '"') {
      const start = i++;
      let value = '';
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\n')
          throw new RulesError(`At ${line}:${start - lineStart + 1}: literal not terminated`);
        if (text[i] === '\\') {
          const next = text[++i];
          value += next === 'n' ? '\n' : next === 't' ? '\t' : (next ?? '');
        } else value += text[i];
        i++;
      }
      if (i >= text.length)
        throw new RulesError(`At ${line}:${start - lineStart + 1}: literal not terminated`);
      i++;
      at('string', value, start);
    } else if ('{}[]=,'.includes(c)) at('punct', text[i++]!, i - 1);
    else {
      const match = /^[A-Za-z0-9_.\-*]+/.exec(text.slice(i));
      if (!match) throw new RulesError(`At ${line}:${i - lineStart + 1}: illegal char`);
      at(/^-?\d+(\.\d+)?$/.test(match[0]) ? 'number' : 'ident', match[0], i);
      i += match[0].length;
    }
  }
  tokens.push({ kind: 'eof', text: 'EOF', line, column: i - lineStart + 1 });
  return tokens;
}

function parseHcl(text: string): Item[] {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]!;
  const fail = (token: Token, message: string): never => {
    throw new RulesError(`At ${token.line}:${token.column}: ${message}`);
  };
  const items = (closing: boolean): Item[] => {
    const list: Item[] = [];
    for (;;) {
      const token = peek();
      if (token.kind === 'eof') {
        if (closing) fail(token, 'object expected closing RBRACE got: EOF');
        return list;
      }
      if (token.kind === 'punct' && token.text === '}') {
        if (!closing) fail(token, 'expected: IDENT | STRING got: RBRACE');
        at++;
        return list;
      }
      const keys: string[] = [];
      while (peek().kind === 'ident' || peek().kind === 'string') keys.push(tokens[at++]!.text);
      if (keys.length === 0) fail(peek(), `expected: IDENT | STRING got: ${peek().text}`);
      const next = peek();
      if (next.kind === 'punct' && next.text === '=') {
        at++;
        list.push({ keys, value: value() });
      } else if (next.kind === 'punct' && next.text === '{') {
        at++;
        list.push({ keys, value: items(true) });
      } else fail(next, `key '${keys.join(' ')}' expected start of object ('{') or assignment ('=')`);
      if (peek().kind === 'punct' && peek().text === ',') at++;
    }
  };
  const value = (): Value => {
    const token = tokens[at++]!;
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'ident' && (token.text === 'true' || token.text === 'false'))
      return token.text === 'true';
    if (token.kind === 'punct' && token.text === '{') return items(true);
    if (token.kind === 'punct' && token.text === '[') {
      const list: Value[] = [];
      while (!(peek().kind === 'punct' && peek().text === ']')) {
        if (peek().kind === 'eof') fail(peek(), 'list expected closing RBRACK got: EOF');
        list.push(value());
        if (peek().kind === 'punct' && peek().text === ',') at++;
      }
      at++;
      return list;
    }
    return fail(
      token,
      `Unknown token: ${token.line}:${token.column} ${token.kind.toUpperCase()} ${token.text}`,
    );
  };
  return items(false);
}

/** Rules written in JSON: objects of blocks, keyed by their labels, as HCL1 reads JSON. */
function jsonItems(value: unknown): Item[] {
  const items: Item[] = [];
  const walk = (keys: string[], node: unknown) => {
    if (node && typeof node === 'object' && !Array.isArray(node)) {
      const entries = Object.entries(node as Record<string, unknown>);
      const isBlockOfBlocks = entries.every(([, v]) => v && typeof v === 'object' && !Array.isArray(v));
      if (
        keys.length > 0 &&
        ['namespace', 'node_pool', 'host_volume', 'path'].includes(keys[0]!) &&
        isBlockOfBlocks &&
        keys.length === 1
      )
        for (const [label, inner] of entries) walk([...keys, label], inner);
      else items.push({ keys, value: jsonItems(node) });
    } else items.push({ keys, value: toValue(node) });
  };
  for (const [key, node] of Object.entries(value as Record<string, unknown>)) walk([key], node);
  return items;
}

function toValue(node: unknown): Value {
  if (Array.isArray(node)) return node.map(toValue);
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') return node;
  return jsonItems(node);
}

// --- acl.Policy ------------------------------------------------------------------------------------------------

interface NamedRule {
  Name: string;
  Policy: string;
  Capabilities: string[] | null;
}
interface NamespaceRule extends NamedRule {
  Variables: { Paths: Array<{ PathSpec: string; Capabilities: string[] | null }> | null } | null;
}

export interface ParsedPolicy {
  Namespaces: NamespaceRule[] | null;
  NodePools: NamedRule[] | null;
  HostVolumes: NamedRule[] | null;
  Agent: { Policy: string } | null;
  Node: { Policy: string } | null;
  Operator: { Policy: string; Capabilities: string[] | null } | null;
  Sentinel: { Policy: string; Capabilities: string[] | null } | null;
  Quota: { Policy: string } | null;
  Plugin: { Policy: string } | null;
  Raw: string;
  ExtraKeysHCL: null;
}

const NS_READ = [
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
const NS_WRITE = [
  ...NS_READ,
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
const NS_SCALE = [
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'read-job',
  'submit-recommendation',
];
const NAMESPACE_CAPABILITIES = new Set([
  ...NS_WRITE,
  'deny',
  'alloc-node-exec',
  'sentinel-override',
  'csi-register-plugin',
  'host-volume-register',
  'host-volume-write',
  'host-volume-delete',
  'register-job',
  'revert-job',
  'deregister-job',
  'purge-job',
  'evaluate-job',
  'plan-job',
  'tag-job-version',
  'stable-job',
  'fail-deployment',
  'pause-deployment',
  'promote-deployment',
  'unblock-deployment',
  'cancel-deployment',
  'set-alloc-health-deployment',
  'gc-allocation',
  'pause-allocation',
  'force-periodic-job',
  'delete-service-registration',
]);
const POLICIES = new Set(['deny', 'read', 'write', 'scale']);

function expandNamespacePolicy(policy: string): string[] {
  return { deny: ['deny'], read: NS_READ, write: NS_WRITE, scale: NS_SCALE }[policy] ?? [];
}

/** Capabilities that others imply (acl/policy.go expandNamespaceCapabilities). */
function impliedNamespaceCapabilities(capabilities: readonly string[]): string[] {
  return capabilities.flatMap((cap) =>
    cap === 'host-volume-write'
      ? ['host-volume-register', 'host-volume-create', 'host-volume-delete', 'host-volume-read']
      : cap === 'host-volume-register'
        ? ['host-volume-create', 'host-volume-read']
        : cap === 'host-volume-create'
          ? ['host-volume-read']
          : [],
  );
}

/** Go's append: appending nothing to nil is still nil (JSON null). */
const append = (list: string[] | null, extra: readonly string[]): string[] | null =>
  extra.length === 0 ? list : [...(list ?? []), ...extra];

const goString = (value: string) => JSON.stringify(value);
const goStrings = (list: readonly string[] | null) =>
  list === null ? '[]string(nil)' : `[]string{${list.map(goString).join(', ')}}`;

/** Go's %#v of the rule as it was written (before its shorthand is expanded). */
function goNamespace(ns: NamespaceRule): string {
  const variables = ns.Variables ? '(*acl.VariablesPolicy)(0xc000000000)' : '(*acl.VariablesPolicy)(nil)';
  return `&acl.NamespacePolicy{Name:${goString(ns.Name)}, Policy:${goString(ns.Policy)}, Capabilities:${goStrings(ns.Capabilities)}, Variables:${variables}}`;
}

const strings = (value: Value | undefined): string[] | null =>
  Array.isArray(value) ? value.map((v) => String(v)) : value === undefined ? null : [String(value)];

/** The rules decoded, expanded and validated; throws RulesError with Nomad's text (without its prefix). */
export function parseRules(rules: string): ParsedPolicy {
  const policy: ParsedPolicy = {
    Namespaces: null,
    NodePools: null,
    HostVolumes: null,
    Agent: null,
    Node: null,
    Operator: null,
    Sentinel: null,
    Quota: null,
    Plugin: null,
    Raw: rules,
    ExtraKeysHCL: null,
  };
  if (rules === '') return policy;
  let items: Item[];
  try {
    items = rules.trim().startsWith('{') ? jsonItems(JSON.parse(rules)) : parseHcl(rules);
  } catch (error) {
    throw new RulesError(`Failed to parse ACL Policy: ${(error as Error).message}`);
  }
  const extra: string[] = [];
  const body = (value: Value): Item[] => (isItems(value) ? value : []);
  const fields = (value: Value, known: readonly string[]) => {
    const found: Record<string, Value> = {};
    for (const item of body(value)) {
      const key = item.keys[0]!.toLowerCase();
      if (known.includes(key) && item.keys.length === 1) found[key] = item.value;
      else extra.push(item.keys[0]!);
    }
    return found;
  };
  for (const item of items) {
    const [kind, label] = item.keys;
    const named = (): NamedRule => {
      const f = fields(item.value, ['policy', 'capabilities']);
      return { Name: label ?? '', Policy: String(f.policy ?? ''), Capabilities: strings(f.capabilities) };
    };
    const single = (known: readonly string[]) => fields(item.value, known);
    switch (kind) {
      case 'namespace': {
        const f = fields(item.value, ['policy', 'capabilities', 'variables']);
        const paths =
          f.variables === undefined ? undefined : body(f.variables).filter((p) => p.keys[0] === 'path');
        (policy.Namespaces ??= []).push({
          Name: label ?? '',
          Policy: String(f.policy ?? ''),
          Capabilities: strings(f.capabilities),
          Variables:
            paths === undefined
              ? null
              : {
                  Paths:
                    paths.length === 0
                      ? null
                      : paths.map((p) => ({
                          PathSpec: p.keys[1] ?? '',
                          Capabilities: strings(fields(p.value, ['capabilities']).capabilities),
                        })),
                },
        });
        break;
      }
      case 'node_pool':
        (policy.NodePools ??= []).push(named());
        break;
      case 'host_volume':
        (policy.HostVolumes ??= []).push(named());
        break;
      case 'agent':
      case 'node':
      case 'quota':
      case 'plugin': {
        const key = ({ agent: 'Agent', node: 'Node', quota: 'Quota', plugin: 'Plugin' } as const)[kind];
        policy[key] = { Policy: String(single(['policy']).policy ?? '') };
        break;
      }
      case 'operator':
      case 'sentinel': {
        const f = single(['policy', 'capabilities']);
        policy[kind === 'operator' ? 'Operator' : 'Sentinel'] = {
          Policy: String(f.policy ?? ''),
          Capabilities: strings(f.capabilities),
        };
        break;
      }
      default:
        extra.push(kind!);
    }
  }
  const empty =
    !policy.Namespaces &&
    !policy.NodePools &&
    !policy.HostVolumes &&
    !policy.Agent &&
    !policy.Node &&
    !policy.Operator &&
    !policy.Sentinel &&
    !policy.Quota &&
    !policy.Plugin;
  if (empty) throw new RulesError(`Invalid policy: ${rules}`);
  for (const ns of policy.Namespaces ?? []) {
    if (!/^[a-zA-Z0-9-*]{1,128}$/.test(ns.Name))
      throw new RulesError(`Invalid namespace name: ${goNamespace(ns)}`);
    if (ns.Policy !== '' && !POLICIES.has(ns.Policy))
      throw new RulesError(`Invalid namespace policy: ${goNamespace(ns)}`);
    for (const cap of ns.Capabilities ?? [])
      if (!NAMESPACE_CAPABILITIES.has(cap))
        throw new RulesError(`Invalid namespace capability '${cap}': ${goNamespace(ns)}`);
    if (ns.Policy !== '') ns.Capabilities = append(ns.Capabilities, expandNamespacePolicy(ns.Policy));
    ns.Capabilities = append(ns.Capabilities, impliedNamespaceCapabilities(ns.Capabilities ?? []));
    if (ns.Variables) {
      if (!ns.Variables.Paths)
        throw new RulesError(`Invalid variable policy: no variable paths in namespace ${ns.Name}`);
      for (const path of ns.Variables.Paths) {
        if (path.PathSpec === '')
          throw new RulesError(`Invalid missing variable path in namespace ${ns.Name}`);
        if (path.PathSpec.startsWith('/'))
          throw new RulesError(
            `Invalid variable path "${path.PathSpec}" in namespace ${ns.Name}: cannot start with a leading '/'\``,
          );
        for (const cap of path.Capabilities ?? [])
          if (!['write', 'read', 'list', 'destroy', 'deny'].includes(cap))
            throw new RulesError(`Invalid variable capability '${cap}' in namespace ${ns.Name}`);
        path.Capabilities = expandVariableCapabilities(path.Capabilities);
      }
    }
  }
  for (const pool of policy.NodePools ?? []) {
    if (!/^[a-zA-Z0-9-_*]{1,128}$/.test(pool.Name))
      throw new RulesError(`Invalid node pool name '${pool.Name}'`);
    if (pool.Policy !== '' && !POLICIES.has(pool.Policy))
      throw new RulesError(`Invalid node pool policy '${pool.Policy}' for '${pool.Name}'`);
    for (const cap of pool.Capabilities ?? [])
      if (!['delete', 'read', 'write', 'deny'].includes(cap))
        throw new RulesError(`Invalid node pool capability '${cap}' for '${pool.Name}'`);
    const expanded = { deny: ['deny'], read: ['read'], write: ['delete', 'read', 'write'] }[pool.Policy];
    if (expanded) pool.Capabilities = append(pool.Capabilities, expanded);
  }
  for (const volume of policy.HostVolumes ?? []) {
    const expanded = {
      deny: ['deny'],
      read: ['mount-readonly'],
      write: ['mount-readonly', 'mount-readwrite'],
    }[volume.Policy];
    if (expanded) volume.Capabilities = append(volume.Capabilities, expanded);
  }
  if (extra.length > 0) throw new RulesError(`Invalid or duplicate policy keys: ${extra.join(', ')}`);
  const single = (rule: { Policy: string } | null, name: string, type: string, valid = POLICIES) => {
    if (rule && !valid.has(rule.Policy))
      throw new RulesError(`Invalid ${name} policy: &acl.${type}{Policy:${goString(rule.Policy)}}`);
  };
  single(policy.Agent, 'agent', 'AgentPolicy');
  single(policy.Node, 'node', 'NodePolicy');
  for (const [rule, expand] of [
    [
      policy.Operator,
      {
        deny: ['deny'],
        read: ['license-read', 'keyring-read'],
        write: ['snapshot-save', 'license-read', 'keyring-rotate', 'keyring-read', 'keyring-delete'],
      },
    ],
    [
      policy.Sentinel,
      {
        deny: ['deny'],
        read: ['sentinel-read'],
        write: ['sentinel-read', 'sentinel-submit', 'sentinel-delete'],
      },
    ],
  ] as const) {
    if (!rule) continue;
    if (rule.Policy !== '' && !POLICIES.has(rule.Policy))
      throw new RulesError(
        `Invalid ${rule === policy.Operator ? 'operator' : 'sentinel'} policy: ${goString(rule.Policy)}`,
      );
    rule.Capabilities = append(rule.Capabilities, expand[rule.Policy as keyof typeof expand] ?? []);
  }
  single(policy.Quota, 'quota', 'QuotaPolicy');
  single(policy.Plugin, 'plugin', 'PluginPolicy', new Set(['deny', 'read', 'list', 'write']));
  return policy;
}

function expandVariableCapabilities(caps: string[] | null): string[] | null {
  if (caps?.includes('deny')) return ['deny'];
  if (caps?.includes('read') && !caps.includes('list')) return [...caps, 'list'];
  return caps;
}

function isItems(value: Value): value is Item[] {
  return (
    Array.isArray(value) &&
    value.every((v) => typeof v === 'object' && v !== null && !Array.isArray(v) && 'keys' in v)
  );
}
