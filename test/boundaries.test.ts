/**
 * Architectural boundaries, checked on the real source tree (see STYLE.md, "Boundaries"):
 * - a connector imports only the kit, its own folder, axios, zod, node:* (and vitest in tests),
 *   so it stays a pure translator the engine can trust;
 * - the GraphQL schema never imports a connector: vendors stay behind the sync engine;
 * - only the entry points read process.env, so config is parsed once and passed down.
 * Parsing uses the TypeScript compiler, so comments and strings never cause false alarms.
 */
import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** App code. Root tool configs (vitest.config.ts, drizzle.config.ts) are not part of the app. */
const SCANNED_DIRS = ['src', 'connectors', 'test', 'bench', 'scripts'];
const SKIPPED_DIRS = new Set(['node_modules', 'fixtures', 'dist', '.hub-data']);
const ENV_READERS = new Set(['src/main.ts', 'src/config.ts', 'src/cli.ts', 'src/demo.ts']);
const CONNECTOR_PACKAGES = /^(axios|zod)(\/.*)?$/;

interface Violation {
  file: string;
  line: number;
  message: string;
}

const isTestFile = (file: string) => /\.test\.[cm]?[jt]s$/.test(file);
const mayReadEnv = (file: string) =>
  ENV_READERS.has(file) || isTestFile(file) || file.startsWith('test/') || file.startsWith('bench/');

function listSourceFiles(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(join(ROOT, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : listSourceFiles(path);
    return /\.[cm]?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier: static imports, re-exports, import() and require(). */
function importsOf(source: ts.SourceFile): Array<{ specifier: string; node: ts.Node }> {
  const found: Array<{ specifier: string; node: ts.Node }> = [];
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier))
        found.push({ specifier: node.moduleSpecifier.text, node });
    } else if (ts.isCallExpression(node) && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (
        callee.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(callee) && callee.text === 'require')
      ) {
        found.push({ specifier: node.arguments[0].text, node });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `process.env`, `process['env']`, `const { env } = process`, and `env` from 'node:process'. */
function envReadsOf(source: ts.SourceFile): ts.Node[] {
  const aliases = new Set(['process']);
  const found: ts.Node[] = [];
  const isProcess = (node: ts.Node): boolean =>
    (ts.isIdentifier(node) && aliases.has(node.text)) ||
    (ts.isPropertyAccessExpression(node) && node.name.text === 'process');
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      if (['process', 'node:process'].includes(node.moduleSpecifier.text)) {
        const clause = node.importClause;
        if (clause?.name) aliases.add(clause.name.text);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) aliases.add(bindings.name.text);
        if (bindings && ts.isNamedImports(bindings)) {
          if (bindings.elements.some((e) => (e.propertyName ?? e.name).text === 'env')) found.push(node);
        }
      }
    }
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && isProcess(node.expression))
      found.push(node);
    if (ts.isElementAccessExpression(node) && isProcess(node.expression)) {
      const arg = node.argumentExpression;
      if (ts.isStringLiteralLike(arg) && arg.text === 'env') found.push(node);
    }
    if (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer)) {
      if (ts.isObjectBindingPattern(node.name)) found.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function checkFile(file: string, text: string): Violation[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const lineOf = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const resolve = (specifier: string) => posix.normalize(posix.join(posix.dirname(file), specifier));
  const violations: Violation[] = [];
  const add = (node: ts.Node, message: string) => violations.push({ file, line: lineOf(node), message });

  const connector = /^connectors\/([^/]+)\//.exec(file);
  for (const { specifier, node } of importsOf(source)) {
    const relativePath = specifier.startsWith('.') ? resolve(specifier) : undefined;
    if (connector) {
      const ownFolder = `connectors/${connector[1]}/`;
      const allowed = relativePath
        ? relativePath.startsWith(ownFolder) || relativePath.startsWith('src/connector-kit/')
        : specifier.startsWith('node:') ||
          CONNECTOR_PACKAGES.test(specifier) ||
          (isTestFile(file) && /^vitest(\/.*)?$/.test(specifier));
      if (!allowed) {
        add(
          node,
          `imports '${specifier}': a connector may import only src/connector-kit/**, its own folder, axios, zod, node:* (and vitest in *.test.ts); ask for what you need to be added to the kit`,
        );
      }
    }
    if (file.startsWith('src/schema/') && relativePath?.startsWith('connectors/')) {
      add(
        node,
        `imports '${specifier}': the GraphQL schema must not import a connector; go through the sync engine`,
      );
    }
  }
  if (!mayReadEnv(file)) {
    for (const node of envReadsOf(source)) {
      add(
        node,
        'reads process.env: only the entry points (src/main.ts, src/cli.ts, src/demo.ts) and src/config.ts may; add the setting to the config schema in src/config.ts and pass it down (tests and harnesses take values from the *.test.ts file)',
      );
    }
  }
  return violations;
}

describe('boundaries: the rules themselves', () => {
  const violations = (file: string, text: string) =>
    checkFile(file, text).map((v) => v.message.split(':')[0]);

  it('lets a connector import the kit, its own folder, axios, zod and node:*', () => {
    const text = `import { defineConnector } from '../../src/connector-kit/index.ts';
      import type { CwTicket } from './api-types.ts';
      import axios from 'axios'; import { z } from 'zod'; import { createHmac } from 'node:crypto';
      export { x } from './x/y.ts';`;
    expect(violations('connectors/cw/index.ts', text)).toEqual([]);
  });

  it('flags a connector importing the app, another connector, a stray package, or vitest outside tests', () => {
    const text = `import { db } from '../../src/db/client.ts';
      import type { RtTicket } from '../request-tracker/api-types.ts';
      import pino from 'pino'; import { it } from 'vitest'; const m = await import('pg');`;
    expect(violations('connectors/cw/client.ts', text)).toEqual([
      "imports '../../src/db/client.ts'",
      "imports '../request-tracker/api-types.ts'",
      "imports 'pino'",
      "imports 'vitest'",
      "imports 'pg'",
    ]);
    expect(violations('connectors/cw/cw.test.ts', `import { it } from 'vitest';`)).toEqual([]);
  });

  it('flags the schema importing a connector', () => {
    const text = `import { connectwise } from '../../connectors/connectwise/index.ts';`;
    expect(violations('src/schema/ticket.ts', text)).toEqual([
      "imports '../../connectors/connectwise/index.ts'",
    ]);
    expect(violations('src/sync/engine.ts', text)).toEqual([]);
  });

  it('flags every way of reading process.env outside the entry points, but not comments or strings', () => {
    const reads = `const a = process.env.A; const b = process['env']; const { env } = process;
      import { env as e } from 'node:process'; import proc from 'node:process'; const c = proc.env;`;
    expect(violations('src/sync/engine.ts', reads)).toHaveLength(5);
    expect(violations('src/sync/engine.ts', `// process.env.X\nconst s = 'process.env';`)).toEqual([]);
    for (const file of [
      'src/main.ts',
      'src/config.ts',
      'src/cli.ts',
      'src/x.test.ts',
      'test/support/db.ts',
      'bench/run.ts',
    ]) {
      expect(violations(file, reads)).toEqual([]);
    }
  });
});

describe('boundaries: the source tree', () => {
  const files = SCANNED_DIRS.flatMap(listSourceFiles);
  const found = files.flatMap((file) => checkFile(file, readFileSync(join(ROOT, file), 'utf8')));
  const report = (filter: (v: Violation) => boolean) =>
    found
      .filter(filter)
      .map((v) => `${v.file}:${v.line} ${v.message}`)
      .join('\n');

  it('finds the app code to scan', () => {
    expect(files.some((f) => f.startsWith('src/connector-kit/'))).toBe(true);
  });

  it('connectors import only the kit, their own folder, axios, zod and node:*', () => {
    expect(report((v) => v.file.startsWith('connectors/') && v.message.startsWith('imports'))).toBe('');
  });

  it('the GraphQL schema imports no connector', () => {
    expect(report((v) => v.file.startsWith('src/schema/') && v.message.includes('GraphQL schema'))).toBe('');
  });

  it('only src/main.ts, src/config.ts, src/cli.ts, tests and bench read process.env', () => {
    expect(report((v) => v.message.startsWith('reads process.env'))).toBe('');
  });
});
