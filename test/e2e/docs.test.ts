import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readProjectFile } from '../../src/source/project-file.js';
import { ROOT } from '../support/cli.js';
import { anchorsOf, docPages, linksIn } from '../support/docs.js';
import { runTranscripts } from '../support/transcript-runner.js';
import { matchesTranscript, transcriptsIn } from '../support/transcripts.js';

const pages = docPages();
const pageAt = new Map(pages.map((page) => [page.path, page]));

describe('README.md and docs/', () => {
  it('link only within the repository, and every link resolves, to the heading it names', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of linksIn(page.text)) {
        const [target, anchor] = link.split('#') as [string, string | undefined];
        const path = target === '' ? page.path : relative(ROOT, join(ROOT, dirname(page.path), target));
        if (/^[a-z]+:/i.test(link) || target.startsWith('/') || path.startsWith('..'))
          broken.push(`${page.path}: ${link} points outside the repository`);
        else if (!existsSync(join(ROOT, path))) broken.push(`${page.path}: ${link} is not a file`);
        else if (anchor !== undefined) {
          const linked = pageAt.get(path.split('\\').join('/'));
          if (!linked) broken.push(`${page.path}: ${link} names a heading in a file that has none`);
          else if (!anchorsOf(linked.text).has(anchor))
            broken.push(`${page.path}: ${link} names no heading of ${linked.path}`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('give every command a page of its own, with a transcript of it, linked from the README’s table', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'oclif.manifest.json'), 'utf8')) as {
      commands: Record<string, unknown>;
    };
    const readme = pageAt.get('README.md')!.text;
    const missing = Object.keys(manifest.commands).filter((id) => {
      const page = pageAt.get(`docs/commands/${id}.md`);
      const shown =
        page && transcriptsIn(page.text).some((t) => t.commands.some((c) => c.includes(`drover ${id}`)));
      return !shown || !readme.includes(`](docs/commands/${id}.md)`);
    });
    expect(missing).toEqual([]);
  });

  it('have a drover.hcl reference that drover reads', () => {
    const [hcl] = [...pageAt.get('docs/drover-hcl.md')!.text.matchAll(/```hcl\n([\s\S]*?)```/g)].map(
      (m) => m[1]!,
    );
    expect(readProjectFile(join(ROOT, 'drover.hcl'), hcl!).stack).toBe('shop');
  });
});

describe('the checkers', () => {
  it('take links from prose, not code, and anchors from headings as GitHub makes them', () => {
    const page =
      '# `drover plan`\n## Flags\n## Flags\n## Validate ≡ register\n```md\n## Not [a](x.md)\n```\n';
    expect([...anchorsOf(page)]).toEqual(['drover-plan', 'flags', 'flags-1', 'validate--register']);
    expect(linksIn(`${page}See [b](y.md#flags), \`[c](z.md)\`.`)).toEqual(['y.md#flags']);
  });

  it('accept in a transcript what differs from run to run, and refuse other differences', () => {
    const block = '$ drover status\nweb  running  2  4befbba2 successful\n…\nApply complete: 1 succeeded.';
    const ok = '$ drover status\nweb   running  2  0417efc0 successful\nApply complete: 1 succeeded.';
    expect(matchesTranscript(block, ok)).toBe(true);
    expect(matchesTranscript(block, ok.replace('running  2', 'running  3'))).toBe(false);
    expect(matchesTranscript(block, '$ drover status\nweb  running  2  0417efc0 successful')).toBe(false);
  });
});

/**
 * Every `console` block of every page (`$ drover …` and what it prints), run page by page against a simulator of
 * the page's own: a page shows the commands that bring the cluster where its examples start.
 */
describe('the transcripts of', () => {
  const withTranscripts = pages
    .filter((page) => transcriptsIn(page.text).length > 0)
    .map((page) => page.path);

  it.concurrent.each(withTranscripts)(
    '%s print what the page shows',
    async (path) => {
      for (const run of await runTranscripts(pageAt.get(path)!.text)) {
        const where = `${path} line ${run.transcript.line}`;
        if (!matchesTranscript(run.expected, run.output))
          expect({ where, output: run.output }).toEqual({ where, output: run.expected });
      }
    },
    120_000,
  );
});
