import type { Graph, GraphNode } from '../../../src/graph/model.js';
import { renderGraph } from '../../../src/render/graph.js';
import { dotString, renderGraphDot } from '../../../src/render/graph-dot.js';
import { mermaidText, renderGraphMermaid } from '../../../src/render/graph-mermaid.js';

/** migrate first (pre-deploy), then redis and api in prod (api after redis), then old deleted. */
const rollout: Graph = {
  nodes: [
    { kind: 'job', id: 'job:default/migrate', name: 'migrate', action: 'create' },
    { kind: 'job', id: 'job:default/redis', name: 'redis', action: 'noop' },
    { kind: 'job', id: 'job:prod/api', name: 'api', namespace: 'prod', action: 'update' },
    { kind: 'job', id: 'job:default/old', name: 'old', action: 'delete' },
  ],
  groups: [
    { kind: 'wave', id: 'wave:1', wave: 1, only: 'pre-deploy', members: ['job:default/migrate'] },
    { kind: 'wave', id: 'wave:2', wave: 2, members: ['job:default/redis', 'job:prod/api'] },
    { kind: 'wave', id: 'wave:3', wave: 3, only: 'deletes', members: ['job:default/old'] },
  ],
  edges: [
    { from: 'wave:1', to: 'wave:2', kind: 'wave' },
    { from: 'wave:2', to: 'wave:3', kind: 'wave' },
    { from: 'job:default/redis', to: 'job:prod/api', kind: 'depends_on' },
  ],
};

/** Job names Nomad accepts that are syntax in Mermaid, DOT, HTML or Markdown. */
const HOSTILE = [
  'api.v2',
  'api-v2',
  'api_v2',
  'say"hi"',
  'end',
  'subgraph',
  'a<b>&c',
  '#35;x',
  'tick`s```',
  'back\\slash\\',
  '%%comment',
  'style:#1;',
  'x--o',
  'a;b|c[d]{e}',
  '日本',
  "it's",
];

const hostile: Graph = {
  nodes: HOSTILE.map((name): GraphNode => ({ kind: 'job', id: `job:default/${name}`, name })),
  groups: [{ kind: 'wave', id: 'wave:1', wave: 1, members: HOSTILE.map((name) => `job:default/${name}`) }],
  edges: HOSTILE.slice(1).map((name, i) => ({
    from: `job:default/${HOSTILE[i]}`,
    to: `job:default/${name}`,
    kind: 'depends_on' as const,
  })),
};

describe('the graph in Mermaid', () => {
  it('draws waves as subgraphs, depends_on solid, wave to wave dotted, changes filled by action', () => {
    expect(renderGraphMermaid(rollout)).toBe(
      [
        'flowchart LR',
        '  subgraph wave_1["wave 1 (pre-deploy)"]',
        '    job_migrate["migrate (create)"]:::create',
        '  end',
        '  subgraph wave_2["wave 2"]',
        '    job_redis["redis"]',
        '    job_api_prod["api (namespace prod, update)"]:::update',
        '  end',
        '  subgraph wave_3["wave 3 (deletes)"]',
        '    job_old["old (delete)"]:::delete',
        '  end',
        '  wave_1 -.-> wave_2',
        '  wave_2 -.-> wave_3',
        '  job_redis --> job_api_prod',
        '  classDef create fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
        '  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328',
        '  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328',
        '',
      ].join('\n'),
    );
  });

  it('gives hostile job names valid, distinct identifiers and escaped labels that read back as the name', () => {
    const text = renderGraphMermaid(hostile);
    const nodeLines = text.split('\n').filter((l) => l.startsWith('    '));
    expect(nodeLines).toHaveLength(HOSTILE.length);
    const ids = nodeLines.map((line) => {
      const [, id, label] = /^ {4}(job(?:_[A-Za-z0-9_]+)?)\["([^"]*)"\]$/.exec(line) ?? [];
      expect({ line, label: label !== undefined }).toEqual({ line, label: true });
      // Nothing Mermaid, its HTML labels or Markdown reads as syntax is left in the label.
      expect(label!.replace(/#\d+;/g, '')).not.toMatch(/[`<>&:;%#"]/);
      const decoded = label!.replace(/#(\d+);/g, (_m, code: string) => String.fromCodePoint(Number(code)));
      return { id: id!, decoded };
    });
    expect(ids.map((i) => i.decoded)).toEqual(HOSTILE);
    expect(new Set(ids.map((i) => i.id)).size).toBe(HOSTILE.length);
    expect(ids.slice(0, 3).map((i) => i.id)).toEqual(['job_api_v2', 'job_api_v2_2', 'job_api_v2_3']);
    const edgeLines = text.split('\n').filter((l) => l.includes(' --> '));
    expect(edgeLines).toHaveLength(HOSTILE.length - 1);
    for (const line of edgeLines) {
      const [from, arrow, to, ...rest] = line.trim().split(' ');
      expect([arrow, rest]).toEqual(['-->', []]);
      expect(ids.map((i) => i.id)).toEqual(expect.arrayContaining([from, to]));
    }
  });

  it('escapes every character outside letters, digits and plain punctuation as #code;', () => {
    expect(mermaidText('web-1.api (prod)')).toBe('web-1.api (prod)');
    expect(mermaidText('a"b#c:d')).toBe('a#34;b#35;c#58;d');
  });
});

describe('the graph in DOT', () => {
  it('draws waves as clusters, an edge between waves as a dashed edge between their borders', () => {
    expect(renderGraphDot(rollout)).toBe(
      [
        'digraph rollout {',
        '  rankdir=LR;',
        '  compound=true;',
        '  node [shape=box, style=rounded];',
        '  subgraph "cluster_wave_1" {',
        '    label="wave 1 (pre-deploy)";',
        '    "job_migrate" [label="migrate (create)", style="rounded,filled", fillcolor="#dafbe1", color="#1a7f37"];',
        '  }',
        '  subgraph "cluster_wave_2" {',
        '    label="wave 2";',
        '    "job_redis" [label="redis"];',
        '    "job_api_prod" [label="api (namespace prod, update)", style="rounded,filled", fillcolor="#fff8c5", color="#9a6700"];',
        '  }',
        '  subgraph "cluster_wave_3" {',
        '    label="wave 3 (deletes)";',
        '    "job_old" [label="old (delete)", style="rounded,filled", fillcolor="#ffebe9", color="#cf222e"];',
        '  }',
        '  "job_migrate" -> "job_redis" [style=dashed, ltail="cluster_wave_1", lhead="cluster_wave_2"];',
        '  "job_redis" -> "job_old" [style=dashed, ltail="cluster_wave_2", lhead="cluster_wave_3"];',
        '  "job_redis" -> "job_api_prod";',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('quotes hostile job names so that each label reads back as the name', () => {
    const text = renderGraphDot(hostile);
    const quoted = /"((?:[^"\\]|\\.)*)"/;
    const labels = text
      .split('\n')
      .filter((l) => l.includes('[label='))
      .map((line) => {
        const [, id, rest] =
          new RegExp(`^ {4}"(job(?:_[A-Za-z0-9_]+)?)" \\[label=(.*)\\];$`).exec(line) ?? [];
        expect({ line, id: id !== undefined }).toEqual({ line, id: true });
        return quoted.exec(rest!)![1]!.replace(/\\(.)/g, '$1');
      });
    expect(labels).toEqual(HOSTILE);
  });

  it('doubles backslashes (labels read \\N, \\n as escapes) and escapes quotes and line breaks', () => {
    expect(dotString('a\\Nb"c\nd')).toBe('"a\\\\Nb\\"c\\nd"');
    expect(dotString('end\\')).toBe('"end\\\\"');
  });
});

describe('groups inside groups, as clusters holding their waves will be', () => {
  const nested: Graph = {
    nodes: [
      { kind: 'job', id: 'a', name: 'a' },
      { kind: 'job', id: 'b', name: 'b' },
    ],
    groups: [
      { kind: 'wave', id: 'outer', wave: 1, members: ['inner'] },
      { kind: 'wave', id: 'inner', wave: 2, members: ['a'] },
      { kind: 'wave', id: 'last', wave: 3, members: ['b'] },
    ],
    edges: [{ from: 'outer', to: 'last', kind: 'wave' }],
  };

  it('are drawn inside them in both formats, and an edge from the outer one leaves its border', () => {
    expect(renderGraphMermaid(nested)).toContain(
      '  subgraph wave_1["wave 1"]\n    subgraph wave_2["wave 2"]\n      job_a["a"]\n    end\n  end\n',
    );
    const dot = renderGraphDot(nested);
    expect(dot).toContain(
      '  subgraph "cluster_wave_1" {\n    label="wave 1";\n    subgraph "cluster_wave_2" {\n      label="wave 2";\n      "job_a" [label="a"];\n    }\n  }\n',
    );
    expect(dot).toContain(
      '  "job_a" -> "job_b" [style=dashed, ltail="cluster_wave_1", lhead="cluster_wave_3"];',
    );
  });
});

describe("drover graph's output", () => {
  it('notes that deletes are missing when prune is on and the graph comes from the files alone', () => {
    expect(renderGraph(rollout, 'dot', { deletesUnknown: true }).notes).toEqual([
      "Prune is on: the stack's jobs that no file declares are deleted last, and only Nomad knows them; drover graph --with-state shows them.",
    ]);
    expect(renderGraph(rollout, 'mermaid', { deletesUnknown: false })).toEqual({
      text: renderGraphMermaid(rollout),
      notes: [],
    });
  });

  it("notes a Mermaid graph that passes Mermaid's limits, which DOT does not have", () => {
    const wide: Graph = {
      nodes: Array.from({ length: 502 }, (_, i): GraphNode => ({ kind: 'job', id: `j${i}`, name: `j${i}` })),
      groups: [],
      edges: Array.from({ length: 501 }, (_, i) => ({ from: `j${i}`, to: `j${i + 1}`, kind: 'depends_on' })),
    };
    expect(renderGraph(wide, 'mermaid', { deletesUnknown: false }).notes).toEqual([
      "This graph passes Mermaid's 500-edge limit, so GitHub and GitLab will not draw it: --format dot draws it with Graphviz.",
    ]);
    const long: Graph = {
      nodes: Array.from({ length: 1000 }, (_, i): GraphNode => ({
        kind: 'job',
        id: `j${i}`,
        name: `a-rather-long-job-name-number-${i}`,
      })),
      groups: [],
      edges: [],
    };
    expect(renderGraph(long, 'mermaid', { deletesUnknown: false }).notes).toEqual([
      "This graph passes Mermaid's 50000-character limit, so GitHub and GitLab will not draw it: --format dot draws it with Graphviz.",
    ]);
    expect(renderGraph(wide, 'dot', { deletesUnknown: false }).notes).toEqual([]);
  });
});
