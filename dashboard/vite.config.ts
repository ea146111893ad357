import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Built into dashboard/dist and served by the hub at /dashboard (src/plugins/use-dashboard.ts).
// `npx vite --config dashboard/vite.config.ts` serves it for development, proxying the API
// to a hub on :4000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/dashboard/',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:4000', ws: true } } },
});
