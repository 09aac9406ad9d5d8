/** What `drover import` wrote (or would write): one line per job, the files holding secrets, the next step. */
import type { ImportResult } from '../import/import-result.js';

const NOUNS = {
  namespace: 'namespaces',
  node_pool: 'node pools',
  acl_policy: 'ACL policies',
  acl_role: 'ACL roles',
  nomad_variable: 'Nomad Variables',
} as const;

export function renderImport(result: ImportResult): string {
  const lines: string[] = [];
  const verb = result.dryRun ? 'would write' : 'wrote';
  const stackFrom = { flag: '--stack', stamp: "the jobs' drover stamp", directory: 'the directory name' }[
    result.stackFrom
  ];
  for (const job of result.jobs) {
    const what = job.origin === 'submission' ? "Nomad's stored source" : 'generated from the live job';
    const extra = job.varFile ? ` + ${job.varFile}` : '';
    const mark = job.differing.length === 0 ? '✓' : '✗';
    lines.push(`${mark} ${job.namespace}/${job.id}  ${job.file}${extra}  (${what})`);
    for (const field of job.differing) lines.push(`    differs: ${field}`);
  }
  if (result.jobs.length === 0) lines.push('No jobs to import.');
  lines.push('');
  const exact = result.jobs.filter((j) => j.differing.length === 0).length;
  const estate = [
    ...result.namespaces.map((n) => `namespace "${n}"`),
    ...result.nodePools.map((p) => `node_pool "${p}"`),
    ...result.aclPolicies.map((p) => `acl_policy "${p}"`),
    ...result.aclRoles.map((r) => `acl_role "${r}"`),
    ...result.variables.map(
      (v) => `nomad_variable "${v.path}"${v.namespace === 'default' ? '' : ` (namespace ${v.namespace})`}`,
    ),
  ];
  lines.push(
    `${result.jobs.length} job${result.jobs.length === 1 ? '' : 's'} imported into ${result.out} (stack "${result.stack}", from ${stackFrom}): ${exact} exact, ${result.jobs.length - exact} differing.`,
  );
  if (result.children > 0)
    lines.push(
      `${result.children} child job${result.children === 1 ? '' : 's'} of periodic or parameterized jobs left out (Nomad creates them).`,
    );
  if (estate.length > 0) lines.push(`drover.hcl declares ${estate.join(', ')}.`);
  lines.push(`Files ${verb}: ${result.files.join(', ')}`);
  if (result.otherStacks?.length)
    lines.push(
      `Left out, as another drover stack manages them: ${result.otherStacks.map((o) => `${o.kind} "${o.name}" (stack "${o.stack}")`).join(', ')}.`,
    );
  for (const kind of result.notHeld)
    lines.push(`No ${NOUNS[kind]} to import: this Nomad runs with ACLs disabled.`);
  if (result.unread.length > 0) {
    lines.push('', 'Not read (the project may lack objects of these kinds):');
    for (const unread of result.unread)
      lines.push(`  ! ${NOUNS[unread.kind]}: the token may not read them (it needs ${unread.needs})`);
  }
  if (result.estateDiffering.length > 0) {
    lines.push('', 'Not written as Nomad holds them:');
    for (const line of result.estateDiffering) lines.push(`  ✗ ${line}`);
  }
  if (result.unresolvedTemplates.length > 0)
    lines.push(
      '',
      `Templates that name a Nomad Variable by an expression import cannot follow (import those with --variable-prefix or --include nomad_variable): ${result.unresolvedTemplates.join(', ')}`,
    );
  const secret = result.jobs.filter((j) => j.secrets.length > 0);
  if (secret.length > 0 || result.valuesFile) {
    lines.push('', 'These files hold secret-looking values as Nomad has them:');
    for (const job of secret)
      lines.push(
        `  ${[job.file, ...(job.varFile ? [job.varFile] : [])].join(', ')}: ${job.secrets.join(', ')}`,
      );
    if (result.valuesFile) {
      const items = result.variables.reduce((sum, v) => sum + v.items.length, 0);
      lines.push(`  ${result.valuesFile}: the values of ${items} variable item${items === 1 ? '' : 's'}`);
    }
    if (result.gitignored.length > 0)
      lines.push(
        `${result.dryRun ? 'Would add' : 'Added'} them to ${result.out}/.gitignore; move the values to var files or Nomad Variables before committing.`,
      );
  }
  if (result.valuesToSupply.length > 0) {
    lines.push(
      '',
      `The variables' values were not written (--with-values writes them to import.secrets.vars.hcl). drover plan refuses the project until each is given (--var NAME=…, a var file, or NOMAD_VAR_NAME):`,
    );
    for (const variable of result.variables)
      for (const { item, input } of variable.items)
        lines.push(
          `  ${input}  (item ${item} of ${variable.path}${variable.namespace === 'default' ? '' : ` in namespace ${variable.namespace}`})`,
        );
  }
  if (exact < result.jobs.length)
    lines.push(
      '',
      'A file marked ✗ would change the job if applied: each names the differing fields in a comment on top.',
    );
  else if (
    !result.dryRun &&
    result.jobs.length > 0 &&
    result.valuesToSupply.length === 0 &&
    result.unread.length === 0 &&
    result.estateDiffering.length === 0
  )
    lines.push('', `Next: drover plan ${result.out}   (each object shows as adopt, with no field change)`);
  return lines.join('\n');
}
