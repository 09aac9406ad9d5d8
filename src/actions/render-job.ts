import { formatDiagnostic, hasErrors, type Diagnostic } from '../source/hcl/diagnostics.js';
import { renderJobJson } from '../source/job-json.js';
import { compareText } from '../util/compare.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';
import { resolveWorkspaces } from './workspace.js';

/**
 * Job files as `nomad job run -output` prints them: one file exactly so; several (a directory, a project, many
 * paths) as one compact `{"Job": …}` document per line, in path order. Any file with errors renders nothing.
 */
export function renderJobFiles(
  inputs: JobInputs & { readonly env: Readonly<Record<string, string | undefined>> },
): {
  output?: string;
  diagnostics?: string;
  warnings: string[];
} {
  const loaded = resolveWorkspaces(inputs)
    .flatMap((workspace) => loadJobFiles(workspace.jobs))
    .sort((a, b) => compareText(a.path, b.path));
  const shown = (severity: Diagnostic['severity']) =>
    loaded.flatMap((job) =>
      job.diagnostics
        .filter((d) => d.severity === severity)
        .map((d) => formatDiagnostic(d, job.sources.get(d.range.file))),
    );
  const warnings = shown('warning');
  if (loaded.some((job) => !job.job || hasErrors(job.diagnostics)))
    return { diagnostics: shown('error').join('\n'), warnings };
  const documents = loaded.map((job) => renderJobJson(job.job!));
  if (documents.length === 1) return { output: documents[0]!, warnings };
  return { output: documents.map((doc) => JSON.stringify(JSON.parse(doc))).join('\n'), warnings };
}
