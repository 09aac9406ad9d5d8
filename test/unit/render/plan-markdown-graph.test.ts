import { planForDisplay } from '../../../src/plan/mask.js';
import type { JobChange } from '../../../src/kinds/job/change.js';
import type { Action, Plan } from '../../../src/plan/model.js';
import { jobChange } from '../../support/plan-changes.js';
import { renderPlanMarkdown } from '../../../src/render/plan-markdown.js';
import { settings } from '../../support/plan-env.js';

const change = (id: string, action: Action, wave: number, dependsOn?: string[]): JobChange =>
  jobChange(id, action, { wave, dependsOn });

const planOf = (changes: JobChange[]): Plan => ({
  settings: settings({ prune: true }),
  changes,
  createdAt: '2026-11-22T12:00:00Z',
});

const markdown = (plan: Plan, limit?: number) =>
  renderPlanMarkdown(planForDisplay(plan, { showSensitive: false }), limit ? { limit } : {});

/** redis is unchanged; api (after redis) and web (after api) update; old is deleted. */
const rollout = planOf([
  change('redis', 'noop', 0),
  change('api', 'update', 1, ['redis']),
  change('web', 'update', 2, ['api']),
  change('old', 'delete', 3),
]);

const GRAPH = [
  '<details><summary>Rollout order</summary>',
  '',
  '```mermaid',
  'flowchart LR',
  '  subgraph wave_2["wave 2"]',
  '    job_api["api (update)"]:::update',
  '  end',
  '  subgraph wave_3["wave 3"]',
  '    job_web["web (update)"]:::update',
  '  end',
  '  subgraph wave_4["wave 4 (deletes)"]',
  '    job_old["old (delete)"]:::delete',
  '  end',
  '  wave_2 -.-> wave_3',
  '  wave_3 -.-> wave_4',
  '  job_api --> job_web',
  '  classDef update fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  '  classDef delete fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  '```',
  '</details>',
  '',
].join('\n');

const LEFT_OUT =
  /_The graph of the rollout order is left out: it would pass (.*)\. `drover graph --with-state --format dot` draws it\._/;

describe('the Markdown plan’s graph of the changes', () => {
  it('draws only the jobs that change, with their actions, folded after the summary and before the jobs', () => {
    const text = markdown(rollout);
    expect(text).toContain(
      `> This plan **deletes** \`old\`.\n\n${GRAPH}\n<details><summary><code>update</code> <b>api</b>`,
    );
    expect(text).not.toContain('job_redis');
  });

  it('is left out for a single change: one job has no order to draw', () => {
    const text = markdown(planOf([change('redis', 'noop', 0), change('api', 'update', 1, ['redis'])]));
    expect(text).not.toContain('Rollout order');
    expect(text).not.toMatch(LEFT_OUT);
  });

  it('is left out with a note when it would pass the comment limit, the jobs kept; never past the limit', () => {
    const full = markdown(rollout);
    const withoutGraph = full.replace(`${GRAPH}\n`, '');
    const note = markdown(rollout, withoutGraph.length + 200 + 200);
    expect(note).not.toContain('```mermaid');
    expect(note).toMatch(LEFT_OUT);
    expect(LEFT_OUT.exec(note)![1]).toBe(`GitHub's ${withoutGraph.length + 400}-character limit`);
    expect(note.match(/<details><summary><code>/g)).toHaveLength(3);
    const seen = new Set<string>();
    for (let limit = 600; limit <= full.length + 300; limit += 7) {
      const text = markdown(rollout, limit);
      expect({ limit, length: Math.min(text.length, limit) }).toEqual({ limit, length: text.length });
      const graph = text.includes('```mermaid') ? 'graph' : LEFT_OUT.test(text) ? 'note' : 'neither';
      seen.add(graph);
      // The short forms of the jobs come first: the graph (or its note) only in the room they leave.
      if (graph !== 'neither') expect(text.match(/<details><summary><code>/g)).toHaveLength(3);
    }
    expect([...seen].sort()).toEqual(['graph', 'neither', 'note']);
  });

  it("is left out with a note when it would pass Mermaid's own limits, which GitHub keeps", () => {
    // 600 jobs in a chain: 599 depends_on edges and 599 from wave to wave.
    const chain = planOf(
      Array.from({ length: 600 }, (_, i) =>
        change(`job-${i}`, 'update', i, i > 0 ? [`job-${i - 1}`] : undefined),
      ),
    );
    const text = markdown(chain, 1_000_000);
    expect(text).not.toContain('```mermaid');
    expect(LEFT_OUT.exec(text)![1]).toBe("Mermaid's 50000-character limit");
    // 30 jobs, each after all of 30 others: 900 depends_on edges in about 22,000 characters.
    const first = Array.from({ length: 30 }, (_, i) => change(`a${i}`, 'update', 0));
    const dense = planOf([
      ...first,
      ...Array.from({ length: 30 }, (_, i) =>
        change(
          `b${i}`,
          'update',
          1,
          first.map((c) => c.address.name),
        ),
      ),
    ]);
    expect(LEFT_OUT.exec(markdown(dense, 1_000_000))![1]).toBe("Mermaid's 500-edge limit");
    // 15 after 30 others: 450 edges, drawn.
    const fewer = planOf([
      ...first,
      ...Array.from({ length: 15 }, (_, i) =>
        change(
          `b${i}`,
          'update',
          1,
          first.map((c) => c.address.name),
        ),
      ),
    ]);
    expect(markdown(fewer, 1_000_000)).toContain('```mermaid');
  });
});
