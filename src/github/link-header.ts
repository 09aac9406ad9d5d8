/**
 * The URL a `Link` response header gives for `rel="next"` (RFC 8288), as GitHub's REST API pages its lists:
 * `<https://api.github.com/…?page=2>; rel="next", <…?page=5>; rel="last"`. None on the last page.
 */
export function nextPageUrl(link: string | null | undefined): string | undefined {
  if (!link) return undefined;
  for (const match of link.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]*)*)/g)) {
    const params = match[2]!;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    const relations = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (relations.includes('next')) return match[1];
  }
  return undefined;
}
