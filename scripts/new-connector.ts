/**
 * `npm run connector:new -- <id> [--name "Display Name"] [--root <repo>]`
 *
 * Writes `connectors/<id>/` from the templates beside this file and registers the connector
 * in `src/connectors.ts`. The result compiles and runs the conformance suite at once; every
 * check fails with a message naming the file and member to implement.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const TEMPLATES = new URL('./connector-template/', import.meta.url);

export function toCamel(id: string): string {
  return id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function toPascal(id: string): string {
  const camel = toCamel(id);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

export function scaffoldConnector(root: string, id: string, displayName: string): string[] {
  if (!/^[a-z][a-z0-9-]{1,40}$/.test(id)) {
    throw new Error(
      `"${id}" is not a valid connector id: use lowercase letters, digits and dashes, e.g. "sysaid"`,
    );
  }
  const dir = join(root, 'connectors', id);
  if (existsSync(dir)) throw new Error(`connectors/${id} already exists; pick another id or delete it first`);
  mkdirSync(dir, { recursive: true });
  const vars: Record<string, string> = {
    ID: id,
    CAMEL: toCamel(id),
    PASCAL: toPascal(id),
    NAME: displayName,
  };
  const written: string[] = [];
  for (const file of readdirSync(TEMPLATES)) {
    const text = readFileSync(new URL(file, TEMPLATES), 'utf8').replace(
      /__(ID|CAMEL|PASCAL|NAME)__/g,
      (_, k: string) => vars[k]!,
    );
    const target = file.replace('__ID__', id).replace(/\.tpl$/, '');
    writeFileSync(join(dir, target), text);
    written.push(`connectors/${id}/${target}`);
  }
  register(root, id);
  written.push('src/connectors.ts');
  return written;
}

/** Adds the import and the entry to the explicit registry. */
function register(root: string, id: string): void {
  const path = join(root, 'src', 'connectors.ts');
  const source = readFileSync(path, 'utf8');
  const name = toCamel(id);
  const withImport = source.replace(
    /(import type \{ Connector \})/,
    `import { ${name} } from '../connectors/${id}/index.ts';\n$1`,
  );
  const withEntry = withImport.replace(
    /const ALL = \[([^\]]*)\]/,
    (_, list: string) => `const ALL = [${list.trim().replace(/,$/, '')}, ${name}]`,
  );
  if (withEntry === source || !withEntry.includes(`, ${name}]`)) {
    throw new Error('could not register the connector in src/connectors.ts: add it to ALL by hand');
  }
  writeFileSync(path, withEntry);
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, root: { type: 'string' } },
  });
  const id = positionals[0];
  if (!id) {
    process.stderr.write('usage: npm run connector:new -- <id> [--name "Display Name"]\n');
    process.exit(2);
  }
  const root = resolve(values.root ?? new URL('..', import.meta.url).pathname);
  const written = scaffoldConnector(root, id, values.name ?? toPascal(id));
  process.stdout.write(
    `Wrote:\n${written.map((f) => `  ${f}`).join('\n')}\n\nNext: npx vitest run connectors/${id}  (every check fails until implemented; connectors/README.md walks you through)\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  try {
    main();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
}
