import { defineConfig } from 'drizzle-kit';

// drizzle-kit only diffs the TypeScript schema against drizzle/; it needs no database.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
