import { writeFileSync } from 'node:fs';
import { printSchema } from 'graphql';
import { schema } from './index.ts';

// `npm run schema:print` rewrites schema.graphql; a test fails while it is out of date.
const target = new URL('../../schema.graphql', import.meta.url);
writeFileSync(target, `${printSchema(schema)}\n`);
console.log(`wrote ${target.pathname}`);
