import { rmSync } from 'node:fs';

/** Removes the run's temporary directory (global-setup.ts). */
export default function removeTempRoot(): void {
  const root = process.env.DROVER_TEST_TMPDIR;
  if (root) rmSync(root, { recursive: true, force: true });
}
