/** What `drover import` wrote (or, with --dry-run, would write), for the renderers and --json. */
import type { JobFileChoice } from './job-file.js';

export interface ImportedJob {
  readonly namespace: string;
  readonly id: string;
  readonly origin: JobFileChoice['origin'];
  /** Relative to the output directory. */
  readonly file: string;
  readonly varFile?: string;
  /** Fields a plan of the file would change: empty when exact. */
  readonly differing: readonly string[];
  /** Where the job holds secret-looking values (written as they are). */
  readonly secrets: readonly string[];
}

export interface ImportResult {
  readonly out: string;
  readonly stack: string;
  readonly stackFrom: 'flag' | 'stamp' | 'directory';
  readonly jobs: readonly ImportedJob[];
  /** Children of periodic and parameterized jobs, left out. */
  readonly children: number;
  readonly namespaces: readonly string[];
  readonly nodePools: readonly string[];
  /** Every file written (or, with --dry-run, that would be), relative to the output directory. */
  readonly files: readonly string[];
  /** Files added to .gitignore because they hold secret-looking values. */
  readonly gitignored: readonly string[];
  readonly dryRun: boolean;
}
