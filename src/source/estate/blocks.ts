/**
 * The estate's blocks, each read into the API shape Nomad's endpoints take (src/nomad/endpoints), with the checks
 * Nomad makes when it is written (nomad/structs Validate, and what open-source Nomad refuses as unlicensed):
 *
 *   namespace "payments"         { description, quota, meta, required_extra_claims, optional_extra_claims,
 *                                  capabilities { … }, node_pool_config { … }, vault { … }, consul { … } }
 *   node_pool "general"          { description, meta, node_identity_ttl, scheduler_config { … } }
 *   acl_policy "payments-deploy" { description, rules, job_acl { namespace, job_id, group, task } }
 *   acl_role "payments-ci"       { description, policies }
 *   nomad_variable "nomad/jobs/api" { namespace, items }   (items: see variable-items.ts)
 */
import type { Block } from '../hcl/ast.js';
import { error, suggest, type Range } from '../hcl/diagnostics.js';
import type { Value } from '../hcl/types.js';
import { decodeBody, type DecodeState, type Decoded, type Schema } from './decode-body.js';
import {
  aclNameProblem,
  byteLength,
  MAX_DESCRIPTION_BYTES,
  namespaceNameProblem,
  nodePoolNameProblem,
} from './names.js';
import { rulesDiagnostics } from './acl-rules.js';

const strings = (field: string) => ({ kind: 'strings', field }) as const;

/** Which node pools, Vault or Consul clusters a namespace's jobs may use (Nomad Enterprise). */
const USAGE: Schema = {
  arguments: {
    default: { kind: 'string', field: 'Default' },
    allowed: strings('Allowed'),
    denied: strings('Denied'),
  },
  template: { Default: '', Allowed: null, Denied: null },
};

const NAMESPACE: Schema = {
  label: 'name',
  arguments: {
    description: { kind: 'string', field: 'Description' },
    quota: { kind: 'string', field: 'Quota', enterprise: true },
    meta: { kind: 'map', field: 'Meta' },
    required_extra_claims: { kind: 'map', field: 'RequiredExtraClaims' },
    optional_extra_claims: { kind: 'map', field: 'OptionalExtraClaims' },
  },
  blocks: {
    capabilities: {
      field: 'Capabilities',
      schema: {
        arguments: {
          enabled_task_drivers: strings('EnabledTaskDrivers'),
          disabled_task_drivers: strings('DisabledTaskDrivers'),
          enabled_network_modes: strings('EnabledNetworkModes'),
          disabled_network_modes: strings('DisabledNetworkModes'),
        },
        template: {
          EnabledTaskDrivers: null,
          DisabledTaskDrivers: null,
          EnabledNetworkModes: null,
          DisabledNetworkModes: null,
        },
      },
    },
    node_pool_config: { field: 'NodePoolConfiguration', schema: USAGE, enterprise: true },
    vault: { field: 'VaultConfiguration', schema: USAGE, enterprise: true },
    consul: { field: 'ConsulConfiguration', schema: USAGE, enterprise: true },
  },
};

const SCHEDULER_ALGORITHMS = ['binpack', 'spread'];

const NODE_POOL: Schema = {
  label: 'name',
  arguments: {
    description: { kind: 'string', field: 'Description' },
    meta: { kind: 'map', field: 'Meta' },
    node_identity_ttl: { kind: 'duration', field: 'NodeIdentityTTL' },
  },
  blocks: {
    scheduler_config: {
      field: 'SchedulerConfiguration',
      enterprise: true,
      schema: {
        arguments: {
          scheduler_algorithm: { kind: 'string', field: 'SchedulerAlgorithm' },
          memory_oversubscription_enabled: { kind: 'bool', field: 'MemoryOversubscriptionEnabled' },
        },
        template: { SchedulerAlgorithm: '', MemoryOversubscriptionEnabled: null },
      },
    },
  },
};

const ACL_POLICY: Schema = {
  label: 'name',
  arguments: {
    description: { kind: 'string', field: 'Description' },
    rules: { kind: 'string', field: 'Rules' },
  },
  blocks: {
    job_acl: {
      field: 'JobACL',
      schema: {
        arguments: {
          namespace: { kind: 'string', field: 'Namespace' },
          job_id: { kind: 'string', field: 'JobID' },
          group: { kind: 'string', field: 'Group' },
          task: { kind: 'string', field: 'Task' },
        },
        template: { Namespace: '', JobID: '', Group: '', Task: '' },
      },
    },
  },
};

const ACL_ROLE: Schema = {
  label: 'name',
  arguments: {
    description: { kind: 'string', field: 'Description' },
    policies: strings('Policies'),
  },
};

export const SCHEMAS = {
  namespace: NAMESPACE,
  node_pool: NODE_POOL,
  acl_policy: ACL_POLICY,
  acl_role: ACL_ROLE,
} as const;

/** One block read: its API fields (Name first), the Enterprise-only settings it uses. */
export type ReadBlock = Pick<Decoded, 'fields' | 'enterprise'>;

/** A namespace, node pool, ACL policy or role block: its fields, then Nomad's checks on them. */
export function readBlock(
  type: keyof typeof SCHEMAS,
  block: Block,
  name: string,
  state: DecodeState,
): ReadBlock {
  const title = `the ${type} "${name}" block`;
  const decoded = decodeBody(block.body, SCHEMAS[type], title, state);
  const fields: Record<string, Value> = { Name: name, ...decoded.fields };
  const at = (field: string) => decoded.ranges.get(field) ?? block.typeRange;
  const problem = (range: Range, summary: string, detail: string) =>
    state.report(error(range, summary, detail));

  const nameProblem = {
    namespace: namespaceNameProblem,
    node_pool: nodePoolNameProblem,
    acl_policy: (n: string) => aclNameProblem('ACL policy', n),
    acl_role: (n: string) => aclNameProblem('ACL role', n),
  }[type](name);
  if (nameProblem) problem(block.labels[0]!.range, `Invalid ${type} name`, nameProblem);

  const description = fields.Description;
  if (typeof description === 'string' && byteLength(description) > MAX_DESCRIPTION_BYTES)
    problem(
      at('Description'),
      'Description too long',
      `Nomad takes a description of at most ${MAX_DESCRIPTION_BYTES} bytes; this one has ${byteLength(description)}.`,
    );

  if (type === 'namespace')
    for (const [field, block] of [
      ['NodePoolConfiguration', 'node_pool_config'],
      ['VaultConfiguration', 'vault'],
      ['ConsulConfiguration', 'consul'],
    ] as const) {
      const usage = fields[field] as { Allowed: unknown; Denied: unknown } | undefined;
      if (usage && usage.Allowed !== null && usage.Denied !== null)
        problem(
          at(field),
          `Invalid ${block} block`,
          `"allowed" and "denied" cannot be used together: list the ones jobs may use, or the ones they may not.`,
        );
    }

  if (type === 'node_pool') {
    const algorithm = (fields.SchedulerConfiguration as { SchedulerAlgorithm: string } | undefined)
      ?.SchedulerAlgorithm;
    if (algorithm !== undefined && algorithm !== '' && !SCHEDULER_ALGORITHMS.includes(algorithm)) {
      const hint = suggest(algorithm, SCHEDULER_ALGORITHMS);
      problem(
        at('SchedulerConfiguration.SchedulerAlgorithm'),
        'Invalid scheduler_algorithm',
        `Nomad's scheduler algorithms are "binpack" and "spread"${hint ? `; did you mean "${hint}"?` : '.'}`,
      );
    }
  }

  if (type === 'acl_policy') {
    const rules = block.body.attributes.find((a) => a.name === 'rules');
    if (!rules)
      problem(
        block.typeRange,
        'Missing required argument "rules"',
        `An ACL policy needs its rules: rules = file("policies/${name}.policy.hcl") or a heredoc.`,
      );
    else if (typeof fields.Rules === 'string') {
      const file = state.fileOf(rules.expr, fields.Rules);
      for (const found of rulesDiagnostics(fields.Rules, file ?? 'rules'))
        state.report(
          file
            ? found
            : {
                ...found,
                range: rules.expr.range,
                detail: `Line ${found.range.start.line} of the rules: ${found.detail ?? found.summary}`,
              },
        );
    }
    const jobAcl = fields.JobACL as Record<string, string> | undefined;
    if (jobAcl) {
      const needs = (set: string, needed: string, what: string, neededWhat: string) => {
        if (jobAcl[set] !== '' && jobAcl[needed] === '')
          problem(at('JobACL'), 'Invalid job_acl block', `${neededWhat} must be set to set ${what}.`);
      };
      needs('JobID', 'Namespace', 'job_id', 'namespace');
      needs('Group', 'JobID', 'group', 'job_id');
      needs('Task', 'Group', 'task', 'group');
    }
  }

  if (type === 'acl_role') {
    const policies = fields.Policies as string[] | undefined;
    if (!policies || policies.length === 0)
      problem(
        policies ? at('Policies') : block.typeRange,
        policies ? 'No policies' : 'Missing required argument "policies"',
        'An ACL role links at least one ACL policy: policies = ["payments-deploy"].',
      );
    else {
      for (const policy of policies) {
        const invalid = aclNameProblem('ACL policy', policy);
        if (invalid) problem(at('Policies'), `Invalid policy name ${JSON.stringify(policy)}`, invalid);
      }
      const unique = [...new Set(policies)];
      if (unique.length < policies.length)
        state.report({
          severity: 'warning',
          summary: 'Policy listed twice',
          detail: `${JSON.stringify(policies.find((p, i) => policies.indexOf(p) !== i))} appears more than once in policies; Nomad keeps it once.`,
          range: at('Policies'),
        });
      fields.Policies = unique.map((policy) => ({ Name: policy }));
    }
  }
  return { fields, enterprise: decoded.enterprise };
}
