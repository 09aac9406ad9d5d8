/**
 * An ACL policy's rules checked offline, as Nomad's acl.Parse checks them when the policy is written (strict
 * mode): the blocks it knows, their names, policies and capabilities, variable paths. Nomad reads rules with HCL 1,
 * which takes a few forms drover's HCL 2 reader does not (two arguments on one line): rules drover cannot read get
 * a warning and are left to Nomad. Keys Nomad ignores inside a block (a misspelt `polcy`) are warnings: Nomad takes
 * the policy, and it grants less than it seems to. JSON rules are checked for their top-level keys only.
 */
import type { Attribute, Block, Body, Expression } from '../hcl/ast.js';
import { error, suggest, type Diagnostic, type Range } from '../hcl/diagnostics.js';
import { parseHcl } from '../hcl/parser.js';

const POLICIES = ['deny', 'read', 'write', 'scale'];

const NAMESPACE_CAPABILITIES = [
  'deny',
  'list-jobs',
  'parse-job',
  'read-job',
  'submit-job',
  'dispatch-job',
  'read-logs',
  'read-fs',
  'alloc-exec',
  'alloc-node-exec',
  'alloc-lifecycle',
  'sentinel-override',
  'csi-register-plugin',
  'csi-write-volume',
  'csi-read-volume',
  'csi-list-volume',
  'csi-mount-volume',
  'host-volume-create',
  'host-volume-register',
  'host-volume-read',
  'host-volume-write',
  'host-volume-delete',
  'list-scaling-policies',
  'read-scaling-policy',
  'read-job-scaling',
  'scale-job',
  'submit-recommendation',
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
];

interface RuleBlock {
  /** The label's pattern, for the kinds written once per name; none for the kinds written once. */
  readonly name?: { readonly pattern: RegExp; readonly text: string };
  /** The policies it takes; `optional`: it may be left out (capabilities alone). */
  readonly policies: readonly string[];
  readonly policyOptional: boolean;
  readonly capabilities?: readonly string[];
}

const RULE_BLOCKS: Readonly<Record<string, RuleBlock>> = {
  namespace: {
    name: { pattern: /^[a-zA-Z0-9-*]{1,128}$/, text: 'letters, digits, dashes and * (1 to 128)' },
    policies: POLICIES,
    policyOptional: true,
    capabilities: NAMESPACE_CAPABILITIES,
  },
  node_pool: {
    name: {
      pattern: /^[a-zA-Z0-9-_*]{1,128}$/,
      text: 'letters, digits, dashes, underscores and * (1 to 128)',
    },
    policies: POLICIES,
    policyOptional: true,
    capabilities: ['delete', 'deny', 'read', 'write'],
  },
  host_volume: {
    name: { pattern: /^[a-zA-Z0-9-*]{1,128}$/, text: 'letters, digits, dashes and * (1 to 128)' },
    policies: POLICIES,
    policyOptional: true,
    capabilities: ['deny', 'mount-readonly', 'mount-readwrite'],
  },
  agent: { policies: POLICIES, policyOptional: false },
  node: { policies: POLICIES, policyOptional: false },
  quota: { policies: POLICIES, policyOptional: false },
  plugin: { policies: ['deny', 'read', 'list', 'write'], policyOptional: false },
  operator: {
    policies: POLICIES,
    policyOptional: true,
    capabilities: [
      'deny',
      'snapshot-save',
      'license-read',
      'keyring-rotate',
      'keyring-read',
      'keyring-delete',
    ],
  },
  sentinel: {
    policies: POLICIES,
    policyOptional: true,
    capabilities: ['deny', 'sentinel-read', 'sentinel-submit', 'sentinel-delete'],
  },
};

const VARIABLE_CAPABILITIES = ['list', 'read', 'write', 'destroy', 'deny'];

/** Rules longer than this are left to Nomad: a real policy is a few kilobytes, and reading megabytes takes seconds. */
export const MAX_CHECKED_RULES = 1024 * 1024;

/**
 * Problems with `rules`, read as the file `file` (diagnostics point into it): errors where Nomad would refuse the
 * policy, warnings where it would take it but ignore part of it, or could not be checked.
 */
export function rulesDiagnostics(rules: string, file: string): Diagnostic[] {
  if (rules === '') return [];
  if (rules.length > MAX_CHECKED_RULES)
    return [
      {
        severity: 'warning',
        summary: 'Rules not checked',
        detail: `These rules are ${Math.round(rules.length / 1024).toLocaleString('en-US')} KiB, more than drover checks (${MAX_CHECKED_RULES / 1024} KiB); Nomad checks them when the policy is written.`,
        range: { file, start: START, end: START },
      },
    ];
  if (rules.trimStart().startsWith('{')) return jsonRules(rules, file);
  const parsed = parseHcl(rules, file);
  const firstError = parsed.diagnostics.find((d) => d.severity === 'error');
  if (firstError)
    return [
      {
        severity: 'warning',
        summary: 'Rules not checked',
        detail: `drover could not read these rules (${firstError.summary} at line ${firstError.range.start.line}); Nomad reads them with HCL 1 when the policy is written, and refuses them if they are wrong.`,
        range: firstError.range,
      },
    ];
  const found: Diagnostic[] = [];
  checkPolicy(parsed.body, found);
  return found;
}

function checkPolicy(body: Body, found: Diagnostic[]): void {
  const known = Object.keys(RULE_BLOCKS);
  const once = new Map<string, Range>();
  let grants = false;
  // HCL 1 reads `agent = { … }` as it reads `agent { … }`.
  const entries: Array<{ type: string; labels: Block['labels']; body?: Body; range: Range }> = [
    ...body.blocks.map((b) => ({ type: b.type, labels: b.labels, body: b.body, range: b.typeRange })),
    ...body.attributes.map((a) => ({ type: a.name, labels: [], body: objectBody(a), range: a.nameRange })),
  ];
  for (const entry of entries) {
    const rule = RULE_BLOCKS[entry.type];
    if (!rule || !entry.body) {
      const hint = suggest(entry.type, known);
      found.push(
        error(
          entry.range,
          `Unknown policy key "${entry.type}"`,
          `Nomad refuses rules with keys it does not know${hint ? `; did you mean "${hint}"?` : `: ${known.join(', ')}.`}`,
        ),
      );
      continue;
    }
    grants = true;
    if (rule.name) {
      const label = entry.labels[0];
      if (!label)
        found.push(
          error(
            entry.range,
            `Missing ${entry.type} name`,
            `Write ${entry.type} "name" { … } (Nomad: invalid name "").`,
          ),
        );
      else if (!rule.name.pattern.test(label.value))
        found.push(
          error(
            label.range,
            `Invalid ${entry.type} name`,
            `A ${entry.type} name in a policy is ${rule.name.text}; ${JSON.stringify(label.value)} is not.`,
          ),
        );
      for (const extra of entry.labels.slice(1))
        found.push(error(extra.range, 'Extraneous label', `A ${entry.type} block takes one name.`));
    } else {
      for (const extra of entry.labels)
        found.push(
          error(extra.range, 'Extraneous label', `A ${entry.type} block takes no name: ${entry.type} { … }.`),
        );
      const first = once.get(entry.type);
      if (first)
        found.push(
          error(
            entry.range,
            `Duplicate ${entry.type} block`,
            `Nomad refuses a second ${entry.type} block (the first is at line ${first.start.line}); merge them.`,
          ),
        );
      else once.set(entry.type, entry.range);
    }
    checkRuleBody(entry.type, rule, entry.body, entry.range, found);
  }
  if (!grants)
    found.push(
      error(
        body.range,
        'Empty policy',
        'The rules grant nothing: Nomad refuses a policy without a namespace, node_pool, host_volume, agent, node, operator, quota, plugin or sentinel block.',
      ),
    );
}

function checkRuleBody(type: string, rule: RuleBlock, body: Body, range: Range, found: Diagnostic[]): void {
  const attrs = new Map(body.attributes.map((a) => [a.name, a]));
  const policy = attrs.get('policy');
  if (policy) {
    const value = text(policy, found);
    if (value !== undefined && !(rule.policyOptional && value === '') && !rule.policies.includes(value))
      found.push(
        error(
          policy.expr.range,
          `Invalid ${type} policy`,
          `${JSON.stringify(value)} is not a policy here; use ${rule.policies.join(', ')}.`,
        ),
      );
  } else if (!rule.policyOptional)
    found.push(
      error(
        range,
        `Missing ${type} policy`,
        `A ${type} block needs policy = "${rule.policies[1]}" (or another of ${rule.policies.join(', ')}).`,
      ),
    );
  const capabilities = attrs.get('capabilities');
  if (capabilities && rule.capabilities) checkCapabilities(type, capabilities, rule.capabilities, found);
  const expected = ['policy', ...(rule.capabilities ? ['capabilities'] : [])];
  for (const attr of body.attributes)
    if (!expected.includes(attr.name)) ignored(type, attr.name, attr.nameRange, expected, found);
  const blocks = type === 'namespace' ? ['variables'] : [];
  for (const block of body.blocks) {
    if (block.type === 'variables' && type === 'namespace') checkVariables(block, found);
    else ignored(type, block.type, block.typeRange, [...expected, ...blocks], found);
  }
}

function checkVariables(block: Block, found: Diagnostic[]): void {
  const paths = block.body.blocks.filter((b) => b.type === 'path');
  if (paths.length === 0)
    found.push(
      error(
        block.typeRange,
        'Invalid variables block',
        'A variables block needs at least one path "…" { capabilities = [...] } block.',
      ),
    );
  for (const path of paths) {
    const spec = path.labels[0];
    if (!spec || spec.value === '')
      found.push(
        error(
          path.typeRange,
          'Missing variable path',
          'Write path "nomad/jobs/*" { capabilities = ["read"] }.',
        ),
      );
    else if (spec.value.startsWith('/'))
      found.push(
        error(
          spec.range,
          'Invalid variable path',
          `${JSON.stringify(spec.value)} cannot start with a leading "/".`,
        ),
      );
    const capabilities = path.body.attributes.find((a) => a.name === 'capabilities');
    if (capabilities) checkCapabilities('variable path', capabilities, VARIABLE_CAPABILITIES, found);
    for (const attr of path.body.attributes)
      if (attr.name !== 'capabilities') ignored('path', attr.name, attr.nameRange, ['capabilities'], found);
  }
  for (const other of block.body.blocks)
    if (other.type !== 'path') ignored('variables', other.type, other.typeRange, ['path'], found);
}

function checkCapabilities(
  type: string,
  attr: Attribute,
  allowed: readonly string[],
  found: Diagnostic[],
): void {
  const expr = attr.expr;
  if (expr.kind !== 'tuple') {
    if (expr.kind !== 'template' || literalText(expr) !== undefined)
      found.push(
        error(expr.range, 'Invalid capabilities', 'capabilities is a list: capabilities = ["read-job"].'),
      );
    return;
  }
  for (const item of expr.items) {
    const value = literalText(item);
    if (value === undefined || allowed.includes(value)) continue;
    const hint = suggest(value, allowed);
    found.push(
      error(
        item.range,
        `Invalid ${type} capability`,
        `${JSON.stringify(value)} is not a ${type} capability${hint ? `; did you mean "${hint}"?` : `; Nomad knows ${allowed.join(', ')}.`}`,
      ),
    );
  }
}

/** A key Nomad skips inside a block: the policy is taken, without what the key meant to grant. */
function ignored(
  type: string,
  name: string,
  range: Range,
  expected: readonly string[],
  found: Diagnostic[],
): void {
  const hint = suggest(name, expected);
  found.push({
    severity: 'warning',
    summary: `Nomad ignores "${name}" in a ${type} block`,
    detail: `It grants nothing${hint ? `; did you mean "${hint}"?` : `: a ${type} block takes ${expected.join(', ')}.`}`,
    range,
  });
}

/** An attribute's string, or undefined (with an error when Nomad would refuse it too). */
function text(attr: Attribute, found: Diagnostic[]): string | undefined {
  const value = literalText(attr.expr);
  if (value !== undefined) return value;
  if (attr.expr.kind === 'literal' && attr.expr.value !== null) return String(attr.expr.value);
  // HCL 1 keeps "${…}" as text: such a value is Nomad's to judge.
  if (attr.expr.kind === 'template') return undefined;
  found.push(
    error(
      attr.expr.range,
      `Invalid ${attr.name}`,
      `${attr.name} is a quoted string here: ${attr.name} = "read".`,
    ),
  );
  return undefined;
}

/** The text of a string literal without interpolations, else undefined. */
function literalText(expr: Expression): string | undefined {
  if (expr.kind === 'literal') return typeof expr.value === 'string' ? expr.value : undefined;
  if (expr.kind !== 'template') return undefined;
  return expr.parts.every((p) => p.kind === 'text')
    ? expr.parts.map((p) => (p.kind === 'text' ? p.value : '')).join('')
    : undefined;
}

/** `agent = { policy = "read" }` as the body HCL 1 reads it as. */
function objectBody(attr: Attribute): Body | undefined {
  if (attr.expr.kind !== 'object') return undefined;
  const attributes: Attribute[] = [];
  for (const item of attr.expr.items) {
    const name = item.bareKey && item.key.kind === 'variable' ? item.key.name : literalText(item.key);
    if (name === undefined) return undefined;
    attributes.push({ name, nameRange: item.key.range, expr: item.value, range: item.key.range });
  }
  return { attributes, blocks: [], range: attr.expr.range };
}

const START = { line: 1, column: 1, offset: 0 };

function jsonRules(rules: string, file: string): Diagnostic[] {
  const whole: Range = { file, start: START, end: START };
  let parsed: unknown;
  try {
    parsed = JSON.parse(rules);
  } catch (caught) {
    return [
      error(
        whole,
        'Invalid JSON rules',
        `The rules start with "{" but are not JSON: ${(caught as Error).message}.`,
      ),
    ];
  }
  const keys = Object.keys(parsed as object);
  const unknown = keys.filter((k) => !RULE_BLOCKS[k]);
  if (keys.length === unknown.length)
    return [
      error(whole, 'Empty policy', 'The rules grant nothing: Nomad refuses a policy without a known block.'),
    ];
  return unknown.map((key) =>
    error(whole, `Unknown policy key "${key}"`, `Nomad refuses rules with keys it does not know.`),
  );
}
