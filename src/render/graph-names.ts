/**
 * Identifiers for a graph's nodes and groups that Mermaid and DOT take as they are: ASCII letters, digits and
 * `_`, starting with the item's kind (which keeps them off Mermaid's keywords: `end`, `subgraph`…), unique even
 * when two job names differ only in punctuation (`api.v2`, `api-v2`).
 */
import type { Graph, GraphGroup, GraphNode } from '../graph/model.js';

export function graphNames(graph: Graph): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const item of [...graph.groups, ...graph.nodes]) {
    const wanted = nameParts(item)
      .join(' ')
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/_+$/, '');
    let name = wanted;
    for (let n = 2; taken.has(name); n++) name = `${wanted}_${n}`;
    taken.add(name);
    names.set(item.id, name);
  }
  return names;
}

/** What a name is made of: the item's kind, then what tells it apart. */
function nameParts(item: GraphNode | GraphGroup): string[] {
  return item.kind === 'wave'
    ? ['wave', String(item.wave)]
    : ['job', item.name, ...(item.namespace !== undefined ? [item.namespace] : [])];
}
