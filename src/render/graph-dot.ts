/**
 * A graph in Graphviz's DOT (`dot -Tsvg`): left to right, groups as clusters, dashed edges from a wave to the
 * next (drawn between the clusters' borders), solid ones for depends_on. Every identifier and label is a quoted
 * string with `\` and `"` escaped.
 */
import { topLevel, type Graph } from '../graph/model.js';
import { graphNames } from './graph-names.js';
import { ACTION_FILL, groupText, nodeText } from './graph-look.js';

export function renderGraphDot(graph: Graph): string {
  const names = graphNames(graph);
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const groups = new Map(graph.groups.map((g) => [g.id, g]));
  const cluster = (id: string) => dotString(`cluster_${names.get(id)}`);
  const lines = [
    'digraph rollout {',
    '  rankdir=LR;',
    '  compound=true;',
    '  node [shape=box, style=rounded];',
  ];
  const draw = (id: string, indent: string): void => {
    const group = groups.get(id);
    if (group) {
      lines.push(`${indent}subgraph ${cluster(id)} {`, `${indent}  label=${dotString(groupText(group))};`);
      for (const member of group.members) draw(member, `${indent}  `);
      lines.push(`${indent}}`);
      return;
    }
    const node = nodes.get(id)!;
    const fill = node.action && ACTION_FILL[node.action];
    const look = fill
      ? `, style="rounded,filled", fillcolor=${dotString(fill.fill)}, color=${dotString(fill.stroke)}`
      : '';
    lines.push(`${indent}${dotString(names.get(id)!)} [label=${dotString(nodeText(node))}${look}];`);
  };
  for (const id of topLevel(graph)) draw(id, '  ');
  // DOT draws edges between nodes: an edge between groups runs between a node of each, cut at their borders.
  const firstNode = (id: string): string | undefined =>
    groups.has(id) ? groups.get(id)!.members.map(firstNode).find(Boolean) : id;
  for (const edge of graph.edges) {
    const [from, to] = [firstNode(edge.from), firstNode(edge.to)];
    if (!from || !to) continue;
    const attributes = [
      ...(edge.kind === 'wave' ? ['style=dashed'] : []),
      ...(groups.has(edge.from) ? [`ltail=${cluster(edge.from)}`] : []),
      ...(groups.has(edge.to) ? [`lhead=${cluster(edge.to)}`] : []),
    ];
    lines.push(
      `  ${dotString(names.get(from)!)} -> ${dotString(names.get(to)!)}${attributes.length ? ` [${attributes.join(', ')}]` : ''};`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT quoted string: `\` doubled (labels read `\n`, `\N`… as escapes), `"` escaped, line breaks as `\n`. */
export function dotString(text: string): string {
  return `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')}"`;
}
