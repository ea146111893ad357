import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium } from 'playwright-core';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DASHBOARD = join(REPO, 'dashboard');
export const CHROMIUM = process.env.HUB_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Null when the browser tests can run, otherwise why they are skipped. */
export function chromiumUnavailable(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `${CHROMIUM} is missing (Debian: apt-get install -y chromium); the dashboard browser tests are skipped`;
}

async function newestSource(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.endsWith('.md')) continue;
    const path = join(dir, entry.name);
    const time = entry.isDirectory() ? await newestSource(path) : (await stat(path)).mtimeMs;
    newest = Math.max(newest, time);
  }
  return newest;
}

/**
 * `npm test` must not depend on a manual `npm run build:dashboard`: build when dashboard/dist
 * is missing or older than any source file.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const built = await stat(join(DASHBOARD, 'dist', 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built >= (await newestSource(DASHBOARD))) return;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'],
    {
      cwd: REPO,
    },
  );
}

/** Debian's Chromium, headless, with nothing that reaches past this machine. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
