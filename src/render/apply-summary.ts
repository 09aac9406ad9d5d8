/** The end of an apply: a line per job (action, outcome, version, deployment, duration), why failures failed. */
import type { ApplyResult } from '../apply/apply-plan.js';
import { addressLabel, qualifiedLabel } from './address-label.js';

export function renderApplySummary(
  result: ApplyResult,
  operation: 'Apply' | 'Destroy' | 'Promote' | 'Rollback' = 'Apply',
): string {
  const rows = result.results.filter((r) => r.outcome !== 'unchanged');
  const table = [
    [
      rows.every((r) => r.address.kind === 'job') ? 'JOB' : 'OBJECT',
      'ACTION',
      'OUTCOME',
      'VERSION',
      'DEPLOYMENT',
      'DURATION',
    ],
    ...rows.map((r) => [
      qualifiedLabel(r.address),
      r.action,
      r.outcome,
      r.version === undefined ? '-' : String(r.version),
      r.deploymentId ? r.deploymentId.slice(0, 8) : '-',
      r.durationMs ? `${(r.durationMs / 1000).toFixed(1)}s` : '-',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
  for (const r of rows.filter((r) => r.outcome !== 'succeeded' && r.outcome !== 'unchanged')) {
    lines.push('', `${addressLabel(r.address)}: ${r.message}`);
    lines.push(...r.explanation.map((l) => `  ${l}`));
  }
  const count = (outcome: string) => rows.filter((r) => r.outcome === outcome).length;
  const parts = [
    `${count('succeeded')} succeeded`,
    ...(['promotion-ready', 'registered', 'failed', 'timeout', 'cancelled', 'not-run'] as const)
      .filter((o) => count(o) > 0)
      .map((o) => `${count(o)} ${o.replace('-', ' ')}`),
  ];
  const unchanged = result.results.length - rows.length;
  lines.push(
    '',
    `${operation} ${result.ok ? 'complete' : result.cancelled ? 'interrupted' : 'FAILED'}: ${parts.join(', ')}${unchanged ? `, ${unchanged} unchanged` : ''}.`,
  );
  return lines.join('\n');
}

export function renderApplyJson(result: ApplyResult): Record<string, unknown> {
  return {
    ok: result.ok,
    cancelled: result.cancelled,
    jobs: result.results.map((r) => ({
      id: r.address.name,
      namespace: r.address.namespace ?? null,
      address: {
        cluster: r.address.cluster,
        kind: r.address.kind,
        namespace: r.address.namespace ?? null,
        name: r.address.name,
      },
      action: r.action,
      outcome: r.outcome,
      message: r.message,
      version: r.version ?? null,
      deployment_id: r.deploymentId ?? null,
      duration_ms: Math.round(r.durationMs),
      explanation: r.explanation,
    })),
  };
}
