/**
 * ACL policies and roles as drover.hcl blocks (docs/estate-acl.md). A policy's rules are compared as text, byte
 * for byte, so they are written so that they read back exactly: a heredoc when the text allows one (lines ending
 * in a newline, no control characters), one quoted line when it is one line, else a file under policies/ that
 * the block reads with file().
 */
import type { AclPolicy, AclRole } from '../nomad/endpoints/acl.js';
import { label, quoted, textValue } from './hcl-literals.js';
import type { WrittenFile } from './job-file.js';

export interface PolicyHcl {
  readonly block: string;
  /** The rules' own file, when the block reads them with file(). */
  readonly file?: WrittenFile;
}

const JOB_ACL_FIELDS = [
  ['namespace', 'Namespace'],
  ['job_id', 'JobID'],
  ['group', 'Group'],
  ['task', 'Task'],
] as const;

export function aclPolicyHcl(policy: AclPolicy, fileBase: string): PolicyHcl {
  const lines = [`acl_policy ${label(policy.Name, 'acl_policy.name')} {`];
  if (policy.Description) lines.push(`  description = ${quoted(policy.Description)}`);
  const rules = policy.Rules ?? '';
  const inline = textValue(rules, '  ');
  let file: WrittenFile | undefined;
  if (inline.startsWith('<<') || !rules.includes('\n')) lines.push(`  rules = ${inline}`);
  else {
    file = { path: `policies/${fileBase}.policy.hcl`, text: rules };
    lines.push(`  rules = file(${quoted(file.path)})`);
  }
  const jobAcl = policy.JobACL;
  if (jobAcl && JOB_ACL_FIELDS.some(([, field]) => jobAcl[field])) {
    lines.push('  job_acl {');
    for (const [name, field] of JOB_ACL_FIELDS)
      if (jobAcl[field]) lines.push(`    ${name} = ${quoted(jobAcl[field])}`);
    lines.push('  }');
  }
  lines.push('}');
  return { block: lines.join('\n'), ...(file ? { file } : {}) };
}

export function aclRoleHcl(role: AclRole, policies: readonly string[]): string {
  const lines = [`acl_role ${label(role.Name, 'acl_role.name')} {`];
  if (role.Description) lines.push(`  description = ${quoted(role.Description)}`);
  lines.push(`  policies = [${policies.map(quoted).join(', ')}]`);
  lines.push('}');
  return lines.join('\n');
}
