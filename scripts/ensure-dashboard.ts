/**
 * Runs before `npm start` and `npm run demo`: builds the dashboard when `dashboard/dist` is
 * missing, so the README's first command gives a working /dashboard. Where Vite is not
 * installed (a production image built with --omit=dev) it says so and lets the hub start.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const built = existsSync(`${root}dashboard/dist/index.html`);
const vite = `${root}node_modules/.bin/vite`;

if (!built) {
  if (!existsSync(vite)) {
    process.stdout.write(
      'dashboard not built and Vite not installed: /dashboard will answer 503 (run npm run build:dashboard)\n',
    );
  } else {
    process.stdout.write('building the dashboard (once)...\n');
    const result = spawnSync(vite, ['build', '--config', 'dashboard/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (result.status !== 0)
      process.stdout.write('dashboard build failed: /dashboard will answer 503; the API works\n');
  }
}
