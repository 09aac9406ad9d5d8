import type { ProjectFile } from '../config/project-settings.js';
import { UserError } from '../errors.js';
import { metaDependencies } from '../plan/ordering.js';
import type { LoadedJob } from '../source/load-job.js';
import { suggest } from '../util/suggest.js';

/**
 * Every depends_on names a job some file declares (checked when the whole job set is loaded): a typo would
 * otherwise drop the ordering without a word. The error stands where the name is written.
 */
export function refuseUnknownDependencies(
  jobs: readonly LoadedJob[],
  project: ProjectFile | undefined,
): void {
  const declared = jobs.map((j) => String(j.job?.ID));
  for (const loaded of jobs) {
    const id = String(loaded.job?.ID);
    const fromProject = (project?.dependsOn[id] ?? []).map((name, i) => ({
      name,
      at: project?.dependsOnAt?.[id]?.[i] ?? project!.path,
      what: `drover.hcl's job "${id}" depends_on`,
    }));
    const fromMeta = metaDependencies(loaded.job as { Meta?: Record<string, string> }).map((name) => ({
      name,
      at: metaPosition(loaded),
      what: `job "${id}"'s meta drover.depends_on`,
    }));
    for (const { name, at, what } of [...fromProject, ...fromMeta]) {
      if (declared.includes(name)) continue;
      const near = suggest(name, declared);
      throw new UserError(`${at}: ${what} names "${name}", which no job file declares`, {
        code: 'unknown_dependency',
        hint: near ? `Did you mean "${near}"?` : `The job files declare ${declared.join(', ')}.`,
      });
    }
  }
}

/** Where `drover.depends_on` is written in the job file (its first mention), or the file itself. */
function metaPosition(loaded: LoadedJob): string {
  const text = loaded.sources.get(loaded.path) ?? '';
  const quoted = text.indexOf('"drover.depends_on"');
  const offset = quoted === -1 ? text.indexOf('drover.depends_on') : quoted;
  if (offset === -1) return loaded.path;
  const before = text.slice(0, offset).split('\n');
  return `${loaded.path}:${before.length}:${before.at(-1)!.length + 1}`;
}
