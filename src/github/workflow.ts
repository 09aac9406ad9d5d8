/**
 * What a step tells the GitHub Actions runner: outputs (GITHUB_OUTPUT), the job summary (GITHUB_STEP_SUMMARY)
 * and annotations (workflow commands on stdout), in the formats GitHub documents.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';

export type AnnotationLevel = 'notice' | 'warning' | 'error';

export interface Workflow {
  /** A line of the step's log. */
  log(line: string): void;
  /** A message shown on the run's page and, for warnings and errors, beside the step. */
  annotate(level: AnnotationLevel, title: string, message: string): void;
  output(name: string, value: string): void;
  /** Markdown added to the job's summary page. */
  summary(markdown: string): void;
}

export function runnerWorkflow(options: {
  readonly outputFile: string | undefined;
  readonly summaryFile: string | undefined;
  readonly write: (text: string) => void;
}): Workflow {
  return {
    log: (line) => options.write(`${line}\n`),
    annotate: (level, title, message) =>
      options.write(`::${level} title=${escapeProperty(title)}::${escapeData(message)}\n`),
    output: (name, value) => {
      if (options.outputFile) appendFileSync(options.outputFile, outputRecord(name, value));
    },
    summary: (markdown) => {
      if (options.summaryFile) appendFileSync(options.summaryFile, `${markdown.trimEnd()}\n\n`);
    },
  };
}

/**
 * Stops the runner from reading workflow commands (`::error::`, `::add-mask::`, …) in what is written until the
 * returned function is called: a job file in a pull request could otherwise speak to the runner through the
 * plan drover prints.
 */
export function pauseCommands(write: (text: string) => void): () => void {
  const token = `drover-${randomUUID()}`;
  write(`::stop-commands::${token}\n`);
  return () => write(`::${token}::\n`);
}

/** `name<<DELIMITER`, the value, the delimiter: any value, on any number of lines. */
export function outputRecord(name: string, value: string): string {
  const delimiter = `drover_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
