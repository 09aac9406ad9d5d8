/**
 * The order of a rollout as a graph: nodes (jobs; another kind of object is another node kind), groups drawn as
 * boxes around their members in order (waves; a cluster would be a group kind holding its waves), and edges
 * saying what waits for what. Pure data, no English: the renderers (Mermaid, DOT) word and draw it, and know
 * nothing of plans or job files.
 */
import type { Action } from '../plan/model.js';

export interface JobNode {
  readonly kind: 'job';
  /** Unique in the graph, across nodes and groups. */
  readonly id: string;
  readonly name: string;
  /** Only for a job outside the rollout's namespace. */
  readonly namespace?: string;
  /** What the plan does to it; absent when the graph shows the order of the job files alone. */
  readonly action?: Action;
}

export type GraphNode = JobNode;

export interface WaveGroup {
  readonly kind: 'wave';
  readonly id: string;
  /** 1-based, as plans show it. */
  readonly wave: number;
  /** The wave holds only pre-deploy jobs, or only deletes. */
  readonly only?: 'pre-deploy' | 'deletes';
  /** Node and group ids, in order. */
  readonly members: readonly string[];
}

export type GraphGroup = WaveGroup;

/**
 * `depends_on`: the target waits for the source because one depends on the other. `wave`: a group starts once
 * the group before it is done.
 */
export type EdgeKind = 'depends_on' | 'wave';

export interface GraphEdge {
  /** Node or group ids. */
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly groups: readonly GraphGroup[];
  readonly edges: readonly GraphEdge[];
}

/** The nodes and groups no group holds, in order: what a renderer draws at the top level. */
export function topLevel(graph: Graph): string[] {
  const held = new Set(graph.groups.flatMap((g) => g.members));
  return [...graph.groups.map((g) => g.id), ...graph.nodes.map((n) => n.id)].filter((id) => !held.has(id));
}
