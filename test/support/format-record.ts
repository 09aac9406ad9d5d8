import { createHash } from 'node:crypto';
import { join } from 'node:path';

/** Where Nomad's answers on the fmt corpus are kept (test/nomad/fmt.test.ts records them). */
export const FMT_FIXTURE = join(import.meta.dirname, '../fixtures/nomad-2.0.5/fmt.json');

export interface FormatAnswer {
  readonly name: string;
  readonly source_sha256: string;
  /** The SHA-256 of what `nomad fmt -` wrote; null when it refused the file. */
  readonly formatted_sha256: string | null;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
