/**
 * RFC 8288 `Link` headers as CW sends them: `<https://...&page=2>; rel="next", <...>; rel="last"`.
 */
export function parseLinkHeader(header: string | undefined | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m?.[1] || m[2] === undefined) continue;
    const rel = /rel\s*=\s*"?([^";]+)"?/i.exec(m[2])?.[1];
    if (rel) for (const name of rel.trim().split(/\s+/)) links[name.toLowerCase()] = m[1];
  }
  return links;
}

export function formatLinkHeader(links: Array<{ url: string; rel: string }>): string {
  return links.map(({ url, rel }) => `<${url}>; rel="${rel}"`).join(', ');
}
