/**
 * drover's validate held to `nomad job validate`: the same verdict, and for a refusal every message of Nomad's
 * among drover's errors (for a file jobspec2 refuses before validation, the verdict alone).
 */
import { loadJob } from '../../src/source/load-job.js';
import type { InvalidValueFile } from './invalid-values.js';
import type { NomadVerdict } from './validate-oracle.js';

export interface RecordedVerdict {
  readonly name: string;
  readonly value: string;
  readonly valid: boolean;
  readonly messages: readonly string[];
  readonly parseError?: boolean;
}

export interface Disagreement {
  readonly name: string;
  readonly value: string;
  readonly nomad: string | readonly string[];
  readonly drover: string | readonly string[];
}

export const recordVerdict = (file: InvalidValueFile, verdict: NomadVerdict): RecordedVerdict => ({
  name: file.name,
  value: file.value,
  valid: verdict.valid,
  messages: verdict.messages,
  ...(verdict.parseError ? { parseError: true } : {}),
});

export function disagreements(
  files: readonly InvalidValueFile[],
  verdicts: readonly RecordedVerdict[],
): Disagreement[] {
  const found: Disagreement[] = [];
  files.forEach((file, i) => {
    const nomad = verdicts[i]!;
    const loaded = loadJob('job.nomad.hcl', file.source, {
      env: {},
      allowFilesystem: false,
      verdict: 'validate',
    });
    const errors = loaded.diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => `${d.summary} ${d.detail ?? ''}`);
    const sameVerdict = (errors.length === 0) === nomad.valid;
    const missing = nomad.messages.filter((m) => !errors.some((e) => e.includes(m)));
    if (sameVerdict && missing.length === 0) return;
    found.push({
      name: file.name,
      value: file.value,
      nomad: nomad.valid ? 'valid' : nomad.parseError ? 'parse error' : nomad.messages,
      drover:
        errors.length === 0 ? 'valid' : errors.map((e) => e.split(' In ')[0]!.split(' Nomad refuses')[0]!),
    });
  });
  return found;
}
