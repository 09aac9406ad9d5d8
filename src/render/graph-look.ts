/** How a graph's nodes and groups read and look in every format: their text, and a fill by the plan's action. */
import type { GraphGroup, GraphNode } from '../graph/model.js';
import type { Action } from '../plan/model.js';

/** `web`, `web (namespace prod)`, `web (update)`. */
export function nodeText(node: GraphNode): string {
  const about = [
    ...(node.namespace !== undefined ? [`namespace ${node.namespace}`] : []),
    ...(node.action && node.action !== 'noop' ? [node.action] : []),
  ];
  return about.length > 0 ? `${node.name} (${about.join(', ')})` : node.name;
}

/** `wave 1 (pre-deploy)`, `wave 2`, `wave 5 (deletes)`. */
export function groupText(group: GraphGroup): string {
  return `wave ${group.wave}${group.only ? ` (${group.only})` : ''}`;
}

export interface Fill {
  readonly fill: string;
  readonly stroke: string;
}

/** GitHub's own colours: green for what starts, amber for what changes, red for what goes. */
const STARTS: Fill = { fill: '#dafbe1', stroke: '#1a7f37' };
const CHANGES: Fill = { fill: '#fff8c5', stroke: '#9a6700' };
const GOES: Fill = { fill: '#ffebe9', stroke: '#cf222e' };

export const ACTION_FILL: Readonly<Partial<Record<Action, Fill>>> = {
  create: STARTS,
  start: STARTS,
  update: CHANGES,
  adopt: CHANGES,
  promote: CHANGES,
  revert: CHANGES,
  delete: GOES,
};

/** Text on a fill: dark, so it reads on a light fill in a dark theme too. */
export const TEXT_ON_FILL = '#1f2328';
