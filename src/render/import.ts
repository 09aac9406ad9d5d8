/** What `drover import` wrote (or would write): one line per job, the files holding secrets, the next step. */
import type { ImportResult } from '../import/import-result.js';

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
  const secret = result.jobs.filter((j) => j.secrets.length > 0);
  if (secret.length > 0) {
    lines.push('', 'These files hold secret-looking values as Nomad has them:');
    for (const job of secret)
      lines.push(
        `  ${[job.file, ...(job.varFile ? [job.varFile] : [])].join(', ')}: ${job.secrets.join(', ')}`,
      );
    if (result.gitignored.length > 0)
      lines.push(
        `${result.dryRun ? 'Would add' : 'Added'} them to ${result.out}/.gitignore; move the values to var files or Nomad Variables before committing.`,
      );
  }
  if (exact < result.jobs.length)
    lines.push(
      '',
      'A file marked ✗ would change the job if applied: each names the differing fields in a comment on top.',
    );
  else if (!result.dryRun && result.jobs.length > 0)
    lines.push('', `Next: drover plan ${result.out}   (each job shows as adopt, with no field change)`);
  return lines.join('\n');
}
