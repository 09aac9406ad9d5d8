/**
 * A graph as a Mermaid flowchart (GitHub and GitLab draw it in Markdown): left to right, groups as subgraphs,
 * `-->` for depends_on and `-.->` from a wave to the next. Identifiers come from graphNames; text is quoted, and
 * every character that Mermaid, its HTML labels or Markdown could read as syntax is written as `#code;`.
 */
import { topLevel, type Graph, type GraphNode } from '../graph/model.js';
import type { Action } from '../plan/model.js';
import { graphNames } from './graph-names.js';
import { ACTION_FILL, groupText, nodeText, TEXT_ON_FILL } from './graph-look.js';

/** Mermaid's defaults (maxTextSize, maxEdges), which GitHub keeps: past them it draws an error instead. */
export const MERMAID_MAX_TEXT = 50_000;
export const MERMAID_MAX_EDGES = 500;

/** Which of Mermaid's default limits the rendered graph passes, if any: `text`, written as this graph is. */
export function mermaidLimitPassed(graph: Graph, text: string): string | undefined {
  if (text.length > MERMAID_MAX_TEXT) return `Mermaid's ${MERMAID_MAX_TEXT}-character limit`;
  if (graph.edges.length > MERMAID_MAX_EDGES) return `Mermaid's ${MERMAID_MAX_EDGES}-edge limit`;
  return undefined;
}

export function renderGraphMermaid(graph: Graph): string {
  const names = graphNames(graph);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const groups = new Map(graph.groups.map((g) => [g.id, g]));
  const filled = new Set<Action>();
  const lines = ['flowchart LR'];
  const draw = (id: string, indent: string): void => {
    const group = groups.get(id);
    if (group) {
      lines.push(`${indent}subgraph ${names.get(id)}["${mermaidText(groupText(group))}"]`);
      for (const member of group.members) draw(member, `${indent}  `);
      lines.push(`${indent}end`);
      return;
    }
    const node = nodes.get(id)!;
    lines.push(`${indent}${names.get(id)}["${mermaidText(nodeText(node))}"]${fillClass(node, filled)}`);
  };
  for (const id of topLevel(graph)) draw(id, '  ');
  for (const edge of graph.edges)
    lines.push(`  ${names.get(edge.from)} ${edge.kind === 'wave' ? '-.->' : '-->'} ${names.get(edge.to)}`);
  for (const action of filled) {
    const { fill, stroke } = ACTION_FILL[action]!;
    lines.push(`  classDef ${action} fill:${fill},stroke:${stroke},color:${TEXT_ON_FILL}`);
  }
  return `${lines.join('\n')}\n`;
}

function fillClass(node: GraphNode, filled: Set<Action>): string {
  if (!node.action || !ACTION_FILL[node.action]) return '';
  filled.add(node.action);
  return `:::${node.action}`;
}

/**
 * Letters, digits and plain punctuation as they are; anything else (quotes, `#`, `<`, backticks…) as `#code;`.
 * `:` too: Mermaid cuts the last `;` off a line with `style` or `classDef` before a `:`, which would break a code.
 */
export function mermaidText(text: string): string {
  return text.replace(/[^\p{L}\p{N} ._/()+,=@-]/gu, (c) => `#${c.codePointAt(0)};`);
}
