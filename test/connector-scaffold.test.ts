import { execFile } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { scaffoldConnector } from '../scripts/new-connector.ts';

const repo = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

/** A throwaway copy of the repo's layout: real files where the scaffold writes, links elsewhere. */
function sandbox(): string {
  const root = mkdtempSync(join(tmpdir(), 'hub-scaffold-'));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  cpSync(join(repo, 'package.json'), join(root, 'package.json'));
  mkdirSync(join(root, 'src'));
  for (const entry of readdirSync(join(repo, 'src'))) {
    if (entry === 'connectors.ts') cpSync(join(repo, 'src', entry), join(root, 'src', entry));
    else symlinkSync(join(repo, 'src', entry), join(root, 'src', entry));
  }
  mkdirSync(join(root, 'connectors'));
  for (const entry of readdirSync(join(repo, 'connectors')))
    symlinkSync(join(repo, 'connectors', entry), join(root, 'connectors', entry));
  const base = JSON.parse(readFileSync(join(repo, 'tsconfig.json'), 'utf8')) as { compilerOptions: object };
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: base.compilerOptions,
      include: ['src/connectors.ts', 'connectors/acme-desk'],
    }),
  );
  return root;
}

describe('npm run connector:new', () => {
  const root = sandbox();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a folder that compiles, is registered, and fails the suite with messages naming what to implement', async () => {
    const written = scaffoldConnector(root, 'acme-desk', 'Acme Desk');
    expect(written).toContain('connectors/acme-desk/index.ts');
    expect(written).toContain('connectors/acme-desk/acme-desk.test.ts');
    const registry = readFileSync(join(root, 'src', 'connectors.ts'), 'utf8');
    expect(registry).toContain("import { acmeDesk } from '../connectors/acme-desk/index.ts';");
    expect(registry).toMatch(/const ALL = \[[^\]]*, acmeDesk\]/);

    await run(join(repo, 'node_modules/.bin/tsc'), ['--noEmit', '-p', join(root, 'tsconfig.json')]);

    const { acmeDesk } = (await import(join(root, 'connectors/acme-desk/index.ts'))) as {
      acmeDesk: import('../src/connector-kit/contract.ts').Connector<unknown>;
    };
    expect(acmeDesk.id).toBe('acme-desk');
    await expect(acmeDesk.getTicket({} as never, '1')).rejects.toThrow(
      /TODO\(acme-desk\): implement getTicket/,
    );
  }, 120_000);

  it('refuses a bad id and an existing folder', () => {
    expect(() => scaffoldConnector(root, 'Bad Id', 'x')).toThrow(/not a valid connector id/);
    expect(() => scaffoldConnector(root, 'acme-desk', 'x')).toThrow(/already exists/);
  });
});
