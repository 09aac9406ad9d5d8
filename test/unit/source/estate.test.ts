import { mkdirSync, mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readEstate, type EstateDeclarations } from '../../../src/source/estate.js';
import { formatDiagnostic } from '../../../src/source/hcl/diagnostics.js';
import { ProjectFileError, readProjectDocument } from '../../../src/source/project-file.js';
import type { VariableInputs } from '../../../src/source/jobspec/variables.js';
import { ROOT } from '../../support/cli.js';

/** The directories made, removed when the file's tests end. */
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project directory holding `files` (drover.hcl among them), read as a workspace reads it from that directory. */
function estateOf(files: Record<string, string>, values: VariableInputs = {}, namespace = 'default') {
  const dir = mkdtempSync(join(tmpdir(), 'drover-estate-'));
  made.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const document = readProjectDocument(join(dir, 'drover.hcl'), undefined, 'drover.hcl');
  return readEstate(document, { cwd: dir, namespace, values: () => values });
}

/** file:line:col: severity: summary | detail, in the order validate prints them. */
const messages = (estate: EstateDeclarations) =>
  [...estate.diagnostics]
    .sort((a, b) => a.range.file.localeCompare(b.range.file) || a.range.start.offset - b.range.start.offset)
    .map(
      (d) =>
        `${d.range.file}:${d.range.start.line}:${d.range.start.column}: ${d.severity}: ${d.summary}${d.detail ? ` | ${d.detail}` : ''}`,
    );

/** Every diagnostic as the terminal shows it: with its source line, unless that line may hold a secret. */
const printed = (estate: EstateDeclarations) =>
  estate.diagnostics.map((d) => formatDiagnostic(d, estate.sources.get(d.range.file))).join('\n');

const ISSUE_EXAMPLE = `namespace "payments" {
  description = "Payments team"
  meta        = { team = "payments" }
  capabilities {
    enabled_task_drivers = ["docker", "raw_exec"]
  }
}

node_pool "general" {
  description = "Nodes for everyone"
  meta        = { tier = "shared" }
}

acl_policy "payments-deploy" {
  description = "CI deploys payments"
  rules       = file("policies/payments-deploy.policy.hcl")
  job_acl {
    namespace = "payments"
    job_id    = "api"
  }
}

acl_role "payments-ci" {
  description = "Pipelines of the payments team"
  policies    = ["payments-deploy"]
}

variable "db_password" {
  type = string
}

nomad_variable "nomad/jobs/api" {
  namespace = "payments"
  items = {
    db_password = var.db_password
    feature_x   = "on"
  }
}
`;

const POLICY = 'namespace "payments" {\n  policy = "write"\n}\n';

describe('the estate drover.hcl declares, in the API shapes Nomad takes', () => {
  it("reads issue 26's example: each object in its API shape, at its block", () => {
    const estate = estateOf(
      { 'drover.hcl': ISSUE_EXAMPLE, 'policies/payments-deploy.policy.hcl': POLICY },
      { env: { NOMAD_VAR_db_password: 's3cret' } },
    );
    expect(messages(estate)).toEqual([]);
    expect(estate.namespaces).toEqual([
      {
        spec: {
          Name: 'payments',
          Description: 'Payments team',
          Meta: { team: 'payments' },
          Capabilities: {
            EnabledTaskDrivers: ['docker', 'raw_exec'],
            DisabledTaskDrivers: null,
            EnabledNetworkModes: null,
            DisabledNetworkModes: null,
          },
        },
        at: 'drover.hcl:1:1',
        enterpriseOnly: [],
      },
    ]);
    expect(estate.nodePools).toEqual([
      {
        spec: { Name: 'general', Description: 'Nodes for everyone', Meta: { tier: 'shared' } },
        at: 'drover.hcl:9:1',
        enterpriseOnly: [],
      },
    ]);
    expect(estate.aclPolicies).toEqual([
      {
        spec: {
          Name: 'payments-deploy',
          Description: 'CI deploys payments',
          Rules: POLICY,
          JobACL: { Namespace: 'payments', JobID: 'api', Group: '', Task: '' },
        },
        at: 'drover.hcl:14:1',
        enterpriseOnly: [],
      },
    ]);
    expect(estate.aclRoles).toEqual([
      {
        spec: {
          Name: 'payments-ci',
          Description: 'Pipelines of the payments team',
          Policies: [{ Name: 'payments-deploy' }],
        },
        at: 'drover.hcl:23:1',
        enterpriseOnly: [],
      },
    ]);
    expect(estate.variables).toEqual([
      {
        spec: {
          Path: 'nomad/jobs/api',
          Namespace: 'payments',
          Items: { db_password: 's3cret', feature_x: 'on' },
        },
        at: 'drover.hcl:32:1',
        enterpriseOnly: [],
      },
    ]);
    expect(estate.declaredVariables).toEqual(['db_password']);
    expect(estate.files).toEqual(['drover.hcl']);
  });

  it('takes values from var files, --var and NOMAD_VAR_*, the flag last, with the same functions as job files', () => {
    const source = `variable "team" {}
variable "ttl" {
  default = "1h"
}
locals {
  pool = "\${upper(substr(var.team, 0, 1))}\${substr(var.team, 1, -1)}"
}
node_pool "by-team" {
  description = "Nodes of \${local.pool}"
  node_identity_ttl = var.ttl
}
`;
    const estate = estateOf(
      { 'drover.hcl': source },
      {
        varFiles: [{ path: 'prod.vars.hcl', content: 'team = "payments"\nttl = "48h"\n' }],
        vars: [{ name: 'ttl', value: '72h' }],
        env: { NOMAD_VAR_team: 'search' },
      },
    );
    expect(messages(estate)).toEqual([]);
    expect(estate.nodePools.map((p) => p.spec)).toEqual([
      { Name: 'by-team', Description: 'Nodes of Payments', NodeIdentityTTL: 72 * 3600 * 1e9 },
    ]);
  });

  it('takes meta and items in block form too, as Nomad’s spec files and nomad var put write them', () => {
    const estate = estateOf({
      'drover.hcl': `namespace "a" {\n  meta {\n    team = "a"\n    tier = 2\n  }\n}\nnomad_variable "shared/config" {\n  items {\n    region = "eu"\n  }\n}\n`,
    });
    expect(messages(estate)).toEqual([]);
    expect(estate.namespaces[0]!.spec.Meta).toEqual({ team: 'a', tier: '2' });
    expect(estate.variables[0]!.spec).toEqual({
      Path: 'shared/config',
      Namespace: 'default',
      Items: { region: 'eu' },
    });
  });

  it('puts a variable that names no namespace in the namespace jobs that name none are planned in', () => {
    const estate = estateOf(
      { 'drover.hcl': 'nomad_variable "shared/config" {\n  items = { a = "b" }\n}\n' },
      {},
      'payments',
    );
    expect(estate.variables[0]!.spec.Namespace).toBe('payments');
  });

  it('marks the Enterprise-only settings each object uses, where they are', () => {
    const estate = estateOf({
      'drover.hcl': `namespace "a" {
  quota = "small"
  node_pool_config {
    default = "general"
    allowed = ["general", "gpu-*"]
  }
  vault {
    default = "vault-eu"
  }
  consul {
    denied = ["legacy"]
  }
  required_extra_claims = { team = "a" }
}
namespace "b" {
  quota = ""
}
node_pool "gpu" {
  scheduler_config {
    scheduler_algorithm             = "spread"
    memory_oversubscription_enabled = true
  }
}
`,
    });
    expect(messages(estate)).toEqual([]);
    expect(estate.namespaces.map((n) => [n.spec.Name, n.enterpriseOnly])).toEqual([
      [
        'a',
        [
          { name: 'quota', at: 'drover.hcl:2:3' },
          { name: 'node_pool_config', at: 'drover.hcl:3:3' },
          { name: 'vault', at: 'drover.hcl:7:3' },
          { name: 'consul', at: 'drover.hcl:10:3' },
        ],
      ],
      ['b', []],
    ]);
    expect(estate.namespaces[0]!.spec).toMatchObject({
      Quota: 'small',
      NodePoolConfiguration: { Default: 'general', Allowed: ['general', 'gpu-*'], Denied: null },
      VaultConfiguration: { Default: 'vault-eu', Allowed: null, Denied: null },
      ConsulConfiguration: { Default: '', Allowed: null, Denied: ['legacy'] },
      RequiredExtraClaims: { team: 'a' },
    });
    expect(estate.nodePools[0]).toMatchObject({
      spec: { SchedulerConfiguration: { SchedulerAlgorithm: 'spread', MemoryOversubscriptionEnabled: true } },
      enterpriseOnly: [{ name: 'scheduler_config', at: 'drover.hcl:19:3' }],
    });
  });

  it('reads the files drover.hcl includes, in one scope with it, named where they are', () => {
    const estate = estateOf({
      'drover.hcl': 'include = ["estate/*.hcl"]\n\nvariable "team" {\n  default = "payments"\n}\n',
      'estate/namespaces.hcl': 'namespace "payments" {\n  description = local.about\n}\n',
      'estate/acl.hcl': `locals {\n  about = "Team \${var.team}"\n}\n\nacl_policy "deploy" {\n  rules = file("policies/deploy.hcl")\n}\n`,
      'policies/deploy.hcl': POLICY,
    });
    expect(messages(estate)).toEqual([]);
    expect(estate.files).toEqual(['drover.hcl', 'estate/acl.hcl', 'estate/namespaces.hcl']);
    expect(estate.namespaces).toEqual([
      {
        spec: { Name: 'payments', Description: 'Team payments' },
        at: 'estate/namespaces.hcl:1:1',
        enterpriseOnly: [],
      },
    ]);
    // file() paths are relative to drover.hcl, in an included file too.
    expect(estate.aclPolicies.map((p) => [p.spec.Rules, p.at])).toEqual([[POLICY, 'estate/acl.hcl:5:1']]);
  });

  it('takes no interpolation in a label: each name is as written', () => {
    const read = () =>
      estateOf({
        'drover.hcl': 'variable "team" {\n  default = "payments"\n}\nnamespace "${var.team}" {}\n',
      });
    expect(read).toThrow('drover.hcl:4:12: error: Invalid block label');
  });

  it('tells the namespace setting from namespace blocks', () => {
    const files = {
      'drover.hcl': 'namespace = "payments"\n\nnamespace "payments" {\n  description = "d"\n}\n',
    };
    const estate = estateOf(files);
    expect(messages(estate)).toEqual([]);
    expect(estate.namespaces.map((n) => n.spec)).toEqual([{ Name: 'payments', Description: 'd' }]);
  });

  it('reads every example of docs/estate.md without an error', () => {
    const page = readFileSync(join(ROOT, 'docs/estate.md'), 'utf8');
    const examples = [...page.matchAll(/```hcl\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(examples.length).toBeGreaterThan(5);
    for (const example of examples) {
      const estate = estateOf(
        {
          'drover.hcl': example,
          'policies/payments-deploy.policy.hcl': POLICY,
          'estate/more.hcl': 'node_pool "more" {}\n',
        },
        { env: { NOMAD_VAR_db_password: 'x', NOMAD_VAR_search_api_key: 'y' } },
      );
      expect([example, messages(estate)]).toEqual([example, []]);
    }
  });

  it('declares nothing from a project with an error anywhere, and still names its variables', () => {
    const estate = estateOf({
      'drover.hcl': 'variable "x" {\n  default = "a"\n}\nnamespace "ok" {}\nnamespace "bad_name" {}\n',
    });
    expect(estate.namespaces).toEqual([]);
    expect(estate.declaredVariables).toEqual(['x']);
  });
});

/** drover.hcl text → the exact messages. */
const INVALID: ReadonlyArray<readonly [string, string, readonly string[]]> = [
  [
    'an unknown argument, with the closest name',
    'namespace "a" {\n  descripton = "x"\n}\n',
    [
      'drover.hcl:2:3: error: Unsupported argument "descripton" | An argument named "descripton" is not expected in the namespace "a" block; did you mean "description"?',
    ],
  ],
  [
    'an unknown nested block, with the closest name',
    'namespace "a" {\n  capabilites {}\n}\n',
    [
      'drover.hcl:2:3: error: Unsupported block type "capabilites" | A block named "capabilites" is not expected in the namespace "a" block; did you mean "capabilities"?',
    ],
  ],
  [
    'an unknown argument of a nested block',
    'namespace "a" {\n  capabilities {\n    enabled_drivers = ["docker"]\n  }\n}\n',
    [
      'drover.hcl:3:5: error: Unsupported argument "enabled_drivers" | An argument named "enabled_drivers" is not expected in the "capabilities" block; did you mean "enabled_task_drivers"?',
    ],
  ],
  [
    'an unknown argument nothing is close to',
    'acl_role "r" {\n  policies = ["p"]\n  color = "red"\n}\n',
    [
      'drover.hcl:3:3: error: Unsupported argument "color" | The acl_role "r" block takes description, policies.',
    ],
  ],
  [
    'a block written as an argument',
    'namespace "a" {\n  capabilities = { enabled_task_drivers = ["docker"] }\n}\n',
    [
      'drover.hcl:2:3: error: Unsupported argument "capabilities" | "capabilities" is a block here: write capabilities { … }.',
    ],
  ],
  [
    'the name written as an argument',
    'node_pool "p" {\n  name = "p"\n}\n',
    [
      `drover.hcl:2:3: error: Unsupported argument "name" | The name is the block's label (the node_pool "p" block); leave "name" out.`,
    ],
  ],
  [
    'a string where a list belongs',
    'namespace "a" {\n  capabilities {\n    enabled_task_drivers = "docker"\n  }\n}\n',
    [
      'drover.hcl:3:28: error: Unsuitable value for "enabled_task_drivers" | A list of strings is required, not a string.',
    ],
  ],
  [
    'a list where a string belongs',
    'acl_role "r" {\n  description = ["a"]\n  policies = ["p"]\n}\n',
    ['drover.hcl:2:17: error: Unsuitable value for "description" | A string is required, not a list.'],
  ],
  [
    'a meta value that is not text',
    'node_pool "p" {\n  meta = { tags = ["a"] }\n}\n',
    [
      'drover.hcl:2:10: error: Unsuitable value for "meta" | A string for "tags" (a map of strings) is required, not a list.',
    ],
  ],
  [
    'a bool that is not one',
    'node_pool "p" {\n  scheduler_config {\n    memory_oversubscription_enabled = "yes"\n  }\n}\n',
    [
      'drover.hcl:3:39: error: Unsuitable value for "memory_oversubscription_enabled" | A bool is required, not a string.',
    ],
  ],
  [
    'a duration that is not one',
    'node_pool "p" {\n  node_identity_ttl = "2 days"\n}\n',
    [
      'drover.hcl:2:23: error: Invalid duration "2 days" | Use a Go duration such as "30s", "5m", "1h30m" or "250ms" (units ns, us, ms, s, m, h; no "d").',
    ],
  ],
  [
    'meta set twice',
    'namespace "a" {\n  meta = { a = "b" }\n  meta {\n    c = "d"\n  }\n}\n',
    ['drover.hcl:3:3: error: Duplicate meta block | "meta" is also set at line 2; set it once.'],
  ],
  [
    'a nested block twice',
    'acl_policy "p" {\n  rules = "agent {\\n  policy = \\"read\\"\\n}\\n"\n  job_acl {\n    namespace = "a"\n  }\n  job_acl {\n    namespace = "b"\n  }\n}\n',
    ['drover.hcl:6:3: error: Duplicate job_acl block | "job_acl" is also set at line 3; set it once.'],
  ],
  [
    'a nested block with a name',
    'namespace "a" {\n  vault "eu" {}\n}\n',
    ['drover.hcl:2:9: error: Extraneous label for vault | A vault block takes no name: vault { … }.'],
  ],
  [
    'a block without a name',
    'namespace {\n}\n',
    [
      'drover.hcl:1:1: error: Missing name for namespace | A namespace block takes one label, its name: namespace "example" { … }.',
    ],
  ],
  [
    'a variable without a path',
    'nomad_variable {\n  items = { a = "b" }\n}\n',
    [
      'drover.hcl:1:1: error: Missing path for nomad_variable | A nomad_variable block takes one label, its path: nomad_variable "nomad/jobs/api" { … }.',
    ],
  ],
  [
    'a block with two names',
    'acl_role "a" "b" {\n  policies = ["p"]\n}\n',
    ['drover.hcl:1:14: error: Extraneous label for acl_role | A acl_role block takes one label, its name.'],
  ],
  [
    'a namespace declared twice',
    'namespace "a" {}\n\nnamespace "a" {\n  description = "again"\n}\n',
    [
      'drover.hcl:3:11: error: Duplicate namespace "a" | namespace "a" is already declared at drover.hcl:1:1; declare it once.',
    ],
  ],
  [
    'a variable declared twice in one namespace (the same path in two is two variables)',
    'nomad_variable "app/config" {\n  items = { a = "b" }\n}\nnomad_variable "app/config" {\n  namespace = "other"\n  items = { a = "b" }\n}\nnomad_variable "app/config" {\n  namespace = "default"\n  items = { a = "c" }\n}\n',
    [
      'drover.hcl:8:16: error: Duplicate nomad_variable "app/config" | nomad_variable "app/config" in namespace "default" is already declared at drover.hcl:1:1; declare it once.',
    ],
  ],
  [
    'a namespace name Nomad refuses',
    'namespace "payments_eu" {}\n',
    [
      `drover.hcl:1:11: error: Invalid namespace name | A namespace name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$); "_" is not allowed.`,
    ],
  ],
  [
    'a name too long',
    `acl_role "${'r'.repeat(129)}" {\n  policies = ["p"]\n}\n`,
    [
      `drover.hcl:1:10: error: Invalid acl_role name | An ACL role name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$); it has 129 characters.`,
    ],
  ],
  [
    'a node pool name Nomad refuses',
    'node_pool "gpu.large" {}\n',
    [
      `drover.hcl:1:11: error: Invalid node_pool name | A node pool name is 1 to 128 letters, digits, dashes and underscores (Nomad's ^[a-zA-Z0-9-_]{1,128}$); "." is not allowed.`,
    ],
  ],
  [
    "one of Nomad's built-in node pools",
    'node_pool "default" {\n  description = "mine"\n}\n',
    [
      `drover.hcl:1:11: error: Invalid node_pool name | "default" is one of Nomad's built-in node pools (all, default), which cannot be changed; name your own pool.`,
    ],
  ],
  [
    'an ACL policy name Nomad refuses',
    'acl_policy "ci.deploy" {\n  rules = ""\n}\n',
    [
      `drover.hcl:1:12: error: Invalid acl_policy name | An ACL policy name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$); "." is not allowed.`,
    ],
  ],
  [
    'a description past 256 bytes',
    `namespace "a" {\n  description = "${'é'.repeat(129)}"\n}\n`,
    [
      'drover.hcl:2:17: error: Description too long | Nomad takes a description of at most 256 bytes; this one has 258.',
    ],
  ],
  [
    'allowed and denied together',
    'namespace "a" {\n  node_pool_config {\n    allowed = ["a"]\n    denied  = ["b"]\n  }\n}\n',
    [
      'drover.hcl:2:3: error: Invalid node_pool_config block | "allowed" and "denied" cannot be used together: list the ones jobs may use, or the ones they may not.',
    ],
  ],
  [
    'a scheduler algorithm Nomad does not have',
    'node_pool "p" {\n  scheduler_config {\n    scheduler_algorithm = "binpak"\n  }\n}\n',
    [
      `drover.hcl:3:27: error: Invalid scheduler_algorithm | Nomad's scheduler algorithms are "binpack" and "spread"; did you mean "binpack"?`,
    ],
  ],
  [
    'an ACL policy without rules',
    'acl_policy "deploy" {\n  description = "d"\n}\n',
    [
      'drover.hcl:1:1: error: Missing required argument "rules" | An ACL policy needs its rules: rules = file("policies/deploy.policy.hcl") or a heredoc.',
    ],
  ],
  [
    'a job ID without its namespace',
    'acl_policy "w" {\n  rules = "agent {\\n  policy = \\"read\\"\\n}\\n"\n  job_acl {\n    job_id = "api"\n    task   = "t"\n  }\n}\n',
    [
      'drover.hcl:3:3: error: Invalid job_acl block | namespace must be set to set job_id.',
      'drover.hcl:3:3: error: Invalid job_acl block | group must be set to set task.',
    ],
  ],
  [
    'a role without policies',
    'acl_role "ci" {\n  description = "CI"\n}\nacl_role "cd" {\n  policies = []\n}\n',
    [
      'drover.hcl:1:1: error: Missing required argument "policies" | An ACL role links at least one ACL policy: policies = ["payments-deploy"].',
      'drover.hcl:5:14: error: No policies | An ACL role links at least one ACL policy: policies = ["payments-deploy"].',
    ],
  ],
  [
    'a role naming a policy no policy can be called',
    'acl_role "ci" {\n  policies = ["deploy", "deploy", "read only"]\n}\n',
    [
      `drover.hcl:2:14: error: Invalid policy name "read only" | An ACL policy name is 1 to 128 letters, digits and dashes (Nomad's ^[a-zA-Z0-9-]{1,128}$); " " is not allowed.`,
      'drover.hcl:2:14: warning: Policy listed twice | "deploy" appears more than once in policies; Nomad keeps it once.',
    ],
  ],
  [
    'variable paths Nomad reserves or refuses',
    'nomad_variable "nomad" {\n  items = { a = "b" }\n}\nnomad_variable "nomad/apps/x" {\n  items = { a = "b" }\n}\nnomad_variable "nomad/job-templates" {\n  items = { a = "b" }\n}\nnomad_variable "app config" {\n  items = { a = "b" }\n}\n',
    [
      'drover.hcl:1:16: error: Invalid variable path | "nomad" is a reserved top-level directory path, but you may write variables to "nomad/jobs", "nomad/job-templates", "nomad/sentinel", or below.',
      'drover.hcl:4:16: error: Invalid variable path | Only paths at "nomad/jobs" or "nomad/job-templates" and below are valid under the top-level "nomad" directory.',
      'drover.hcl:7:16: error: Invalid variable path | "nomad/job-templates" is a reserved directory path, but you may write variables at the level below it, for example "nomad/job-templates/template-name".',
      `drover.hcl:10:16: error: Invalid variable path | A variable path is 1 to 128 letters, digits and - _ ~ / (Nomad's ^[a-zA-Z0-9-_~/]{1,128}$); " " is not allowed.`,
    ],
  ],
  [
    'a variable in every namespace',
    'nomad_variable "app/config" {\n  namespace = "*"\n  items = { a = "b" }\n}\n',
    [
      'drover.hcl:2:15: error: Invalid namespace | A variable lives in one namespace: "*" (every namespace) cannot hold it.',
    ],
  ],
  [
    'a variable without items, or with none',
    'nomad_variable "a/b" {\n  namespace = "default"\n}\nnomad_variable "a/c" {\n  items = {}\n}\n',
    [
      'drover.hcl:1:1: error: Missing required argument "items" | A Nomad Variable holds at least one item: items = { name = "value" }.',
      'drover.hcl:5:11: error: Empty variable | Nomad refuses a variable without items; give it at least one.',
    ],
  ],
  [
    'items that are not strings, named but never shown',
    'nomad_variable "a/b" {\n  items = {\n    port  = 8080\n    hosts = ["a", "b"]\n  }\n}\nnomad_variable "a/c" {\n  items {\n    debug = true\n  }\n}\n',
    [
      'drover.hcl:3:13: error: Item "port" is not a string | Nomad Variables hold strings; item "port" of nomad_variable "a/b" is a number. Write it in quotes, or make text of it with format() or jsonencode().',
      'drover.hcl:4:13: error: Item "hosts" is not a string | Nomad Variables hold strings; item "hosts" of nomad_variable "a/b" is a list. Write it in quotes, or make text of it with format() or jsonencode().',
      'drover.hcl:9:13: error: Item "debug" is not a string | Nomad Variables hold strings; item "debug" of nomad_variable "a/c" is a bool. Write it in quotes, or make text of it with format() or jsonencode().',
    ],
  ],
  [
    'the path written as an argument, and an unknown one',
    'nomad_variable "a/b" {\n  path = "a/b"\n  itmes = { a = "b" }\n}\n',
    [
      `drover.hcl:1:1: error: Missing required argument "items" | A Nomad Variable holds at least one item: items = { name = "value" }.`,
      `drover.hcl:2:3: error: Unsupported argument "path" | The path is the block's label (the nomad_variable "a/b" block); leave "path" out.`,
      'drover.hcl:3:3: error: Unsupported argument "itmes" | An argument named "itmes" is not expected in the nomad_variable "a/b" block; did you mean "items"?',
    ],
  ],
  [
    'items past the 64 KiB Nomad holds',
    `nomad_variable "a/b" {\n  items = {\n    big = "${'x'.repeat(65_000)}"\n    more = "${'y'.repeat(1000)}"\n  }\n}\n`,
    [
      'drover.hcl:2:11: error: Variable too large | Nomad holds at most 64 KiB in a variable (item names and values together); these items come to 66,007 bytes.',
    ],
  ],
  [
    'an item name a template reads with index()',
    'nomad_variable "a/b" {\n  items = { "db-password" = "x" }\n}\n',
    [
      'drover.hcl:2:11: warning: Item "db-password" needs index() in templates | "db-password" holds "-": a template reads it as {{ index .Items "db-password" }}, not as .db-password.',
    ],
  ],
  [
    'a reference to something only a Nomad client knows',
    'namespace "a" {\n  description = node.unique.name\n}\nnode_pool "p" {\n  description = vra.x\n}\n',
    [
      'drover.hcl:2:17: error: Unknown variable | There is no variable named "node": here an expression reads var.…, local.… and calls functions.',
      'drover.hcl:5:17: error: Unknown variable | There is no variable named "vra"; did you mean "var"?',
    ],
  ],
  [
    'an ACL policy whose rules Nomad refuses, read from a heredoc',
    'acl_policy "p" {\n  rules = <<-EOT\n    namespace "default" {\n      policy       = "red"\n      capabilities = ["read-jbo"]\n    }\n    EOT\n}\n',
    [
      'drover.hcl:2:11: error: Invalid namespace policy | Line 2 of the rules: "red" is not a policy here; use deny, read, write, scale.',
      'drover.hcl:2:11: error: Invalid namespace capability | Line 3 of the rules: "read-jbo" is not a namespace capability; did you mean "read-job"?',
    ],
  ],
];

describe('estate errors: at their position, with the fix', () => {
  it.each(INVALID)('%s', (_, source, expected) => {
    const estate = estateOf({ 'drover.hcl': source });
    expect(messages(estate)).toEqual(expected);
    if (expected.some((m) => m.includes(': error: ')))
      expect([
        estate.namespaces,
        estate.nodePools,
        estate.aclPolicies,
        estate.aclRoles,
        estate.variables,
      ]).toEqual([[], [], [], [], []]);
  });

  it('points into the rules file an ACL policy reads with file(), with its lines', () => {
    const estate = estateOf({
      'drover.hcl': 'acl_policy "p" {\n  rules = file("policies/p.hcl")\n}\n',
      'policies/p.hcl':
        'namespace "a" {\n  policy = "read"\n  polcy  = "write"\n}\nagnt {\n  policy = "read"\n}\nnamespace "a_b" {\n  capabilities = ["list-jobs"]\n  variables {\n    path "/secrets/*" {\n      capabilities = ["reed"]\n    }\n  }\n}\n',
    });
    expect(messages(estate)).toEqual([
      'policies/p.hcl:3:3: warning: Nomad ignores "polcy" in a namespace block | It grants nothing; did you mean "policy"?',
      'policies/p.hcl:5:1: error: Unknown policy key "agnt" | Nomad refuses rules with keys it does not know; did you mean "agent"?',
      'policies/p.hcl:8:11: error: Invalid namespace name | A namespace name in a policy is letters, digits, dashes and * (1 to 128); "a_b" is not.',
      'policies/p.hcl:11:10: error: Invalid variable path | "/secrets/*" cannot start with a leading "/".',
      'policies/p.hcl:12:23: error: Invalid variable path capability | "reed" is not a variable path capability; did you mean "read"?',
    ]);
    expect(printed(estate)).toContain('  5 | agnt {\n    | ^^^^');
  });

  /**
   * Rules, what Nomad 2.0.5's acl.Parse answered them as a policy write parses them (strict), recorded by running
   * it, and the errors drover gives: drover refuses exactly the rules Nomad refuses.
   */
  const NOMAD_ANSWERS: ReadonlyArray<readonly [string, string, readonly string[]]> = [
    [
      'agent {\n  policy = "read"\n}\nagent {\n  policy = "write"\n}\n',
      'Invalid or duplicate policy keys: agent',
      ['Duplicate agent block'],
    ],
    ['node {\n  policy = "list"\n}\n', 'Invalid node policy', ['Invalid node policy']],
    ['plugin {\n  policy = "scale"\n}\n', 'Invalid plugin policy', ['Invalid plugin policy']],
    ['quota {\n  policy = "list"\n}\n', 'Invalid quota policy', ['Invalid quota policy']],
    [
      'host_volume "v" {\n  policy = "list"\n}\n',
      'Invalid host volume policy',
      ['Invalid host_volume policy'],
    ],
    ['agent {}\n', 'Invalid agent policy', ['Missing agent policy']],
    ['agent {\n  policy = ""\n}\n', 'Invalid agent policy', ['Invalid agent policy']],
    ['agent "x" {\n  policy = "read"\n}\n', 'Invalid or duplicate policy keys: x', ['Extraneous label']],
    ['namespace {\n  policy = "read"\n}\n', 'Invalid namespace name', ['Missing namespace name']],
    [
      'namespace "a" "b" {\n  policy = "read"\n}\n',
      'Invalid or duplicate policy keys: b',
      ['Extraneous label'],
    ],
    [
      'namespace "a" {\n  policy = "read"\n}\nfoo = "bar"\n',
      'Invalid or duplicate policy keys: foo',
      ['Unknown policy key "foo"'],
    ],
    [
      'namespace "a" {\n  variables {}\n}\n',
      'Invalid variable policy: no variable paths in namespace a',
      ['Invalid variables block'],
    ],
    [
      'namespace "a" {\n  capabilities = "read-job"\n}\n',
      'Failed to parse ACL Policy: At 2:18: unknown slice type',
      ['Invalid capabilities'],
    ],
    [
      'namespace "a" {\n  policy = read\n}\n',
      'Failed to parse ACL Policy: Unknown token',
      ['Invalid policy'],
    ],
    [
      'node_pool "a" {\n  capabilities = ["scale"]\n}\n',
      "Invalid node pool capability 'scale' for 'a'",
      ['Invalid node_pool capability'],
    ],
    [
      'sentinel {\n  capabilities = ["x"]\n}\n',
      "Invalid sentinel capability 'x'",
      ['Invalid sentinel capability'],
    ],
    ['# nothing\n', 'Invalid policy: # nothing', ['Empty policy']],
    ['   \n', 'Invalid policy', ['Empty policy']],
    [
      '{"agent": {"policy": "read"}, "bogus": 1}',
      'Invalid or duplicate policy keys: bogus',
      ['Unknown policy key "bogus"'],
    ],
    ['{}', 'Invalid policy: {}', ['Empty policy']],
    ['{"agent": ', 'Invalid policy', ['Invalid JSON rules']],
    ['namespace "default" {\n  policy = "read"\n}\n', 'OK', []],
    [
      'namespace "*" {\n  capabilities = ["list-jobs", "read-job"]\n  variables {\n    path "nomad/jobs/*" {\n      capabilities = ["read"]\n    }\n  }\n}\nnode_pool "p_*" {\n  policy = "read"\n}\nhost_volume "data" {\n  policy = "write"\n}\noperator {\n  policy = "read"\n}\nplugin {\n  policy = "list"\n}\nquota {\n  policy = "read"\n}\nsentinel {\n  capabilities = ["sentinel-read"]\n}\nnode {\n  policy = "read"\n}\n',
      'OK',
      [],
    ],
    ['operator {\n  policy = "scale"\n}\n', 'OK', []],
    ['namespace "a" {\n  policy = ""\n}\n', 'OK', []],
    ['namespace "a" {\n  variables {\n    path "x" {\n    }\n  }\n}\n', 'OK', []],
    ['agent = { policy = "read" }\n', 'OK', []],
    ['{"namespace": {"default": {"policy": "read"}}}', 'OK', []],
    ['', 'OK', []],
  ];

  it.each(NOMAD_ANSWERS)('rules %j: Nomad answered %j', (rules, nomad, summaries) => {
    const estate = estateOf({
      'drover.hcl': 'acl_policy "p" {\n  rules = file("p.hcl")\n}\n',
      'p.hcl': rules,
    });
    const errors = estate.diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary);
    expect(errors).toEqual(summaries);
    expect(errors.length === 0).toBe(nomad === 'OK');
  });

  it('leaves rules its reader cannot read to Nomad, with a warning (HCL 1 takes two arguments on a line)', () => {
    const estate = estateOf({
      'drover.hcl':
        'acl_policy "p" {\n  rules = "namespace \\"x\\" { policy = \\"read\\" capabilities = [\\"list-jobs\\"] }"\n}\n',
    });
    expect(messages(estate)).toEqual([
      'drover.hcl:2:11: warning: Rules not checked | Line 1 of the rules: drover could not read these rules (Invalid single-argument block definition at line 1); Nomad reads them with HCL 1 when the policy is written, and refuses them if they are wrong.',
    ]);
    expect(estate.aclPolicies).toHaveLength(1);
  });

  it('refuses a misspelt or misplaced block in drover.hcl before anything else', () => {
    const read = () => estateOf({ 'drover.hcl': 'namespce "a" {}\n' });
    expect(read).toThrow(ProjectFileError);
    expect(read).toThrow(
      /drover.hcl:1:1: error: Unsupported block "namespce" in drover.hcl\n.*\n.*\nDid you mean "namespace"\?/,
    );
  });

  it('refuses what an included file may not hold, and includes that find nothing', () => {
    const estate = estateOf({
      'drover.hcl': 'include = ["estate/*.hcl", "missing.hcl", "none/*.hcl"]\n',
      'estate/a.hcl': 'stack = "x"\njob "api" {}\nnode_pol "p" {}\n',
    });
    expect(messages(estate)).toEqual([
      'drover.hcl:1:28: error: Nothing to include for "missing.hcl" | missing.hcl: no such file or directory; include paths are relative to drover.hcl.',
      'drover.hcl:1:43: error: Nothing to include for "none/*.hcl" | no HCL files match none/*.hcl; include paths are relative to drover.hcl.',
      'estate/a.hcl:1:1: error: Unsupported argument "stack" in an included file | An included file holds namespace, node_pool, acl_policy, acl_role, nomad_variable, variable, locals and check blocks; settings belong in drover.hcl.',
      'estate/a.hcl:2:1: error: Unsupported block "job" in an included file | An included file holds namespace, node_pool, acl_policy, acl_role, nomad_variable, variable, locals and check blocks; job blocks belong in drover.hcl.',
      'estate/a.hcl:3:1: error: Unsupported block "node_pol" in an included file | Did you mean "node_pool"?',
    ]);
  });

  it('reports an unset variable that is not an item value as any unset variable', () => {
    const estate = estateOf({
      'drover.hcl':
        'variable "team" {\n  type = string\n}\nnamespace "a" {\n  description = var.team\n}\nnomad_variable "a/b" {\n  items = { team = "x${var.team}" }\n}\n',
    });
    expect(messages(estate)).toEqual([
      'drover.hcl:1:10: error: Unset variable "team" | A used variable must be set or have a default value. Set it with --var team=…, a --var-file, or NOMAD_VAR_team.',
    ]);
  });

  it('reports an unset variable where it is declared, with where a value may come from', () => {
    const estate = estateOf({
      'estate.hcl': '',
      'drover.hcl':
        'variable "token" {\n  type = string\n}\nnomad_variable "a/b" {\n  items = { token = var.token }\n}\n',
    });
    expect(messages(estate)).toEqual([
      'drover.hcl:1:10: error: Unset variable "token" | It is the value of item "token" of nomad_variable "a/b": drover writes a variable\'s items whole, so it plans nothing until each value is given (it takes no value from Nomad, and deletes no item). Set it with --var token=…, a --var-file, or NOMAD_VAR_token.',
    ]);
  });
});

describe('a Nomad Variable’s values never appear in a message', () => {
  const SECRET = 'hunter2-SECRET-value';
  const cases: ReadonlyArray<readonly [string, Record<string, string>, VariableInputs]> = [
    [
      'a literal value on the line of an item with an error',
      {
        'drover.hcl': `nomad_variable "a/b" {\n  items = { password = "${SECRET}", port = 8080 }\n}\n`,
      },
      {},
    ],
    [
      'a function refusing the value (its message quotes it)',
      {
        'drover.hcl':
          'variable "pw" {}\nnomad_variable "a/b" {\n  items = {\n    pw = format("%d", parseint(var.pw, 10))\n  }\n}\n',
      },
      { env: { NOMAD_VAR_pw: SECRET } },
    ],
    [
      'an index into a map of secrets',
      {
        'drover.hcl':
          'variable "all" {\n  type = map(string)\n}\nnomad_variable "a/b" {\n  items {\n    pw = var.all[var.all["key"]]\n  }\n}\n',
      },
      { vars: [{ name: 'all', value: `{ key = "${SECRET}" }` }] },
    ],
    [
      'a var file value of the wrong type',
      {
        'drover.hcl':
          'variable "port" {\n  type = number\n}\nnomad_variable "a/b" {\n  items = { port = format("%d", var.port) }\n}\n',
      },
      { varFiles: [{ path: 'prod.vars.hcl', content: `port = "${SECRET}"\n` }] },
    ],
    [
      'a variable too large, its values from a var file',
      {
        'drover.hcl': 'variable "big" {}\nnomad_variable "a/b" {\n  items = { big = var.big }\n}\n',
      },
      { varFiles: [{ path: 'prod.vars.hcl', content: `big = "${SECRET.repeat(4000)}"\n` }] },
    ],
  ];

  it.each(cases)('%s', (_, files, values) => {
    const estate = estateOf(files, values);
    expect(estate.diagnostics.filter((d) => d.severity === 'error')).not.toHaveLength(0);
    const shown = [printed(estate), ...messages(estate)].join('\n');
    expect(shown).not.toContain(SECRET);
    expect(shown).not.toContain('hunter2');
  });

  it('still shows the line of an error elsewhere in the same file', () => {
    const estate = estateOf({
      'drover.hcl':
        'namespace "a" {\n  descripton = "x"\n}\nnomad_variable "a/b" {\n  items = { a = 1 }\n}\n',
    });
    expect(printed(estate)).toContain('  2 |   descripton = "x"');
    expect(printed(estate)).not.toContain('items = { a = 1 }');
  });
});
