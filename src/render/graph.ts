/** `drover graph`'s output: the graph in the format asked for, and notes (for stderr) on what it cannot show. */
import type { Graph } from '../graph/model.js';
import { renderGraphDot } from './graph-dot.js';
import { mermaidLimitPassed, renderGraphMermaid } from './graph-mermaid.js';

export type GraphFormat = 'mermaid' | 'dot';

export function renderGraph(
  graph: Graph,
  format: GraphFormat,
  /** The graph comes from the job files alone, and prune is on: the stack's deletes are not in it. */
  facts: { readonly deletesUnknown: boolean },
): { text: string; notes: string[] } {
  const notes = facts.deletesUnknown
    ? [
        "Prune is on: the stack's jobs that no file declares are deleted last, and only Nomad knows them; drover graph --with-state shows them.",
      ]
    : [];
  if (format === 'dot') return { text: renderGraphDot(graph), notes };
  const text = renderGraphMermaid(graph);
  const passed = mermaidLimitPassed(graph, text);
  if (passed)
    notes.push(
      `This graph passes ${passed}, so GitHub and GitLab will not draw it: --format dot draws it with Graphviz.`,
    );
  return { text, notes };
}
