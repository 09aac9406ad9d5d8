/**
 * The repository's documentation as the tests read it: README.md and every Markdown page under docs/, the links
 * they make, and the anchors their headings give (as GitHub makes them).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');

export interface DocPage {
  /** The path from the repository root, with `/`: `README.md`, `docs/commands/plan.md`. */
  readonly path: string;
  readonly text: string;
}

function markdownUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return markdownUnder(path);
    return entry.name.endsWith('.md') ? [path] : [];
  });
}

/** README.md first, then docs/ page by page: each folder's README.md before its other pages, by path. */
export function docPages(): DocPage[] {
  const order = (path: string) => path.replace(/(^|\/)README\.md$/, '$1');
  const docs = markdownUnder(join(ROOT, 'docs'))
    .map((path) => relative(ROOT, path).split('\\').join('/'))
    .sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return ['README.md', ...docs].map((path) => ({ path, text: readFileSync(join(ROOT, path), 'utf8') }));
}

/** The text outside fenced code blocks. */
function unfenced(markdown: string): string {
  return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');
}

/** The text outside code, fenced or inline, where a link means a link. */
function prose(markdown: string): string {
  return unfenced(markdown).replace(/`[^`\n]*`/g, '');
}

/** Every link target of a page: `[text](target)`, as written. */
export function linksIn(markdown: string): string[] {
  return [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** The anchors a page's headings give, as GitHub makes them (a repeated heading gets `-1`, `-2`…). */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of unfenced(markdown).matchAll(/^#{1,6} +(.*?)#*\s*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}
