import type { PromoteResult } from '../watch/promote-deployment.js';
import { renderTable } from './table.js';

/** `drover promote`'s summary: one row per promoted deployment, then the count. */
export function renderPromotion(stack: string, results: readonly PromoteResult[]): string {
  if (results.length === 0)
    return `Nothing to promote: no deployment of stack "${stack}" waits for promotion.`;
  const rows = [
    ['JOB', 'DEPLOYMENT', 'OUTCOME', 'DURATION'],
    ...results.map((r) => [r.id, r.deployment_id.slice(0, 8), r.outcome, `${r.seconds.toFixed(1)}s`]),
  ];
  const succeeded = results.filter((r) => r.outcome === 'succeeded').length;
  const failed = results.length - succeeded;
  return [
    ...renderTable(rows),
    '',
    `Promote complete: ${succeeded} succeeded${failed > 0 ? `, ${failed} failed` : ''}.`,
  ].join('\n');
}
