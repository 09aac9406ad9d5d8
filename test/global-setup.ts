/**
 * Every test run gets a temporary directory of its own, set as TMPDIR before the workers start (they, the CLI
 * processes and the simulators they spawn inherit it); global-teardown.ts removes it whole when the run ends, so
 * the thousands of project directories the tests make are not left in the machine's /tmp.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function createTempRoot(): void {
  const root = mkdtempSync(join(tmpdir(), 'drover-tests-'));
  process.env.DROVER_TEST_TMPDIR = root;
  process.env.TMPDIR = root;
}
