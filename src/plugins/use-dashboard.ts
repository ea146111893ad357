import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

export const DASHBOARD_PATH = '/dashboard';
const DEFAULT_DIST = fileURLToPath(new URL('../../dashboard/dist', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

// The page talks only to this origin (HTTP and graphql-ws); no inline script, no framing, and
// no referrer, since a `?token=` may sit in the address until the page removes it.
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

const MISSING_BUILD = `<!doctype html><meta charset="utf-8"><title>Dashboard not built</title>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>The dashboard is not built</h1>
<p>This hub serves the dashboard from <code>dashboard/dist</code>, which does not exist yet.
Run <code>npm run build:dashboard</code> and reload this page.</p>
<p>The GraphQL API at <a href="/graphql">/graphql</a> works without it.</p></body>`;

/**
 * Maps a request path under /dashboard to a file in `dist`, or null when it would leave it.
 * Dot segments and encoded slashes are refused outright rather than normalised away.
 */
export function toDashboardFile(dist: string, pathname: string): string | null {
  const rest = pathname === DASHBOARD_PATH ? '/' : pathname.slice(DASHBOARD_PATH.length);
  if (!rest.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter(Boolean);
  if (segments.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) return null;
  if (/%2f|%5c/i.test(rest)) return null;
  const root = resolve(dist);
  const file = resolve(root, ...(segments.length ? segments : ['index.html']));
  return file === root || !file.startsWith(root + sep) ? null : file;
}

/**
 * `GET /dashboard` and its assets from the Vite build in `dashboard/dist`. Hashed assets are
 * cached for a year; index.html never, so a rebuild shows at the next load. Without a build
 * the page is a 503 that says how to make one. `sourceMaps: false` (production) answers 404
 * for the build's `.map` files.
 */
export function useDashboard(dist: string = DEFAULT_DIST, opts: { sourceMaps?: boolean } = {}): Plugin {
  // Source maps hand out the page's sources with comments; production serves none.
  const sourceMaps = opts.sourceMaps ?? true;
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      const { pathname } = url;
      if (pathname !== DASHBOARD_PATH && !pathname.startsWith(`${DASHBOARD_PATH}/`)) return;
      const html = {
        'content-type': CONTENT_TYPES['.html']!,
        ...SECURITY_HEADERS,
        'cache-control': 'no-store',
      };
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return endResponse(
          new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }),
        );
      }
      const file = toDashboardFile(dist, pathname);
      if (!file || (!sourceMaps && extname(file) === '.map'))
        return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      if (!(await isFile(join(dist, 'index.html')))) {
        const headers = {
          'content-type': CONTENT_TYPES['.html']!,
          'cache-control': 'no-store',
          'retry-after': '30',
        };
        return endResponse(new fetchAPI.Response(MISSING_BUILD, { status: 503, headers }));
      }
      const body = (await isFile(file)) ? await readFile(file) : null;
      if (!body) return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      const headers = type.startsWith('text/html')
        ? html
        : {
            'content-type': type,
            ...SECURITY_HEADERS,
            'cache-control': file.includes(`${sep}assets${sep}`)
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          };
      return endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : body, { status: 200, headers }),
      );
    },
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
