/**
 * The ACL policies, roles and Nomad Variables import read, as drover.hcl blocks and the files they need: policy
 * rules no heredoc holds exactly, and (with --with-values) the variables' values.
 */
import type { AclPolicy, AclRole } from '../nomad/endpoints/acl.js';
import type { Variable } from '../nomad/endpoints/variables.js';
import { rulesDiagnostics } from '../source/estate/acl-rules.js';
import { aclPolicyHcl, aclRoleHcl } from './acl-hcl.js';
import type { WrittenFile } from './job-file.js';
import { valuesFileText, variablesHcl } from './variable-hcl.js';

/** The var file --with-values writes the variables' values to. */
export const VALUES_FILE = 'import.secrets.vars.hcl';

export interface EstateObjects {
  readonly policies: readonly AclPolicy[];
  /** Each role with the policies it links that Nomad no longer holds. */
  readonly roles: readonly { readonly role: AclRole; readonly missing: readonly string[] }[];
  readonly variables: readonly Variable[];
}

/**
 * The blocks of the ACL policies, roles and variables read, the files they need (policy rules that no heredoc
 * holds exactly; the values, with --with-values), and what could not be written as it is.
 */
export function estateFiles(estate: EstateObjects, taken: ReadonlySet<string>, withValues: boolean) {
  const policyFiles = fileNames(estate.policies.map((p) => p.Name));
  const policies = estate.policies.map((p, i) => aclPolicyHcl(p, policyFiles[i]!));
  const held = new Set(estate.policies.map((p) => p.Name));
  const differing: string[] = [];
  for (const policy of estate.policies) {
    const refused = rulesDiagnostics(policy.Rules ?? '', 'rules').find((d) => d.severity === 'error');
    if (refused)
      differing.push(
        `acl_policy "${policy.Name}": drover reads its rules as rules Nomad refuses (line ${refused.range.start.line}: ${refused.summary}), so a plan of the project stops there until they are corrected`,
      );
  }
  const roles: string[] = [];
  const roleBlocks: string[] = [];
  for (const { role, missing } of estate.roles) {
    const linked = role.Policies.map((p) => p.Name).filter((n) => held.has(n));
    const gone = missing.map((n) => `"${n}"`).join(', ');
    if (linked.length === 0) {
      differing.push(
        `acl_role "${role.Name}": not written, every policy it links (${gone}) is gone from Nomad`,
      );
      continue;
    }
    if (missing.length > 0)
      differing.push(
        `acl_role "${role.Name}": links ${gone}, which Nomad no longer holds; left out (a plan unlinks them)`,
      );
    roles.push(role.Name);
    roleBlocks.push(aclRoleHcl(role, linked));
  }
  const variables = variablesHcl(estate.variables, taken);
  return {
    blocks: [...policies.map((p) => p.block), ...roleBlocks, ...variables.blocks],
    files: policies.flatMap((p) => (p.file ? [p.file] : [])),
    valuesFile: (withValues && variables.inputs.length > 0
      ? { path: VALUES_FILE, text: valuesFileText(estate.variables, variables.inputs) }
      : undefined) as WrittenFile | undefined,
    inputs: variables.inputs,
    roles,
    differing,
  };
}

/** Names a file system takes, distinct even where it ignores case. */
function fileNames(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
    let base = safe;
    for (let n = 2; taken.has(base.toLowerCase()); n++) base = `${safe}-${n}`;
    taken.add(base.toLowerCase());
    return base;
  });
}
