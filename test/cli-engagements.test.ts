/**
 * The CLI's engagement commands, as an operator runs them: onboard a customer, list, and make
 * an MSP token limited to one engagement; bad input exits 2 naming the field, writing nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenResolver } from '../src/auth/tokens.ts';
import { createDatabase } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { availableBackends, createTestDatabase } from './support/backends.ts';

const run = promisify(execFile);
const backend = (await availableBackends())[0]!;

describe(`hub CLI engagement commands (${backend})`, () => {
  let env: Record<string, string>;
  let cleanup: () => Promise<void> | void;

  beforeAll(async () => {
    if (backend === 'postgres') {
      const db = await createTestDatabase();
      env = { DATABASE_URL: db.url };
      cleanup = db.drop;
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'hub-cli-'));
      env = { HUB_DATA_DIR: dir };
      cleanup = () => rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(async () => cleanup?.());

  const hub = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
        env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  it('onboards a customer, lists it, and limits an MSP token to it', { timeout: 120_000 }, async () => {
    const created = await hub(
      'engagement',
      'create',
      '--slug',
      'acme',
      '--name',
      'ACME Corp',
      '--prefix',
      'ACME',
      '--msp',
      'msp',
      '--new-internal',
      'acme-it',
      '--internal-name',
      'ACME IT',
    );
    expect(created.stdout).toContain('created engagement acme (keys ACME-<n>)');
    const bad = await hub(
      'engagement',
      'create',
      '--slug',
      'globex',
      '--name',
      'G',
      '--prefix',
      'GLOBEX',
      '--msp',
      'nobody',
      '--new-internal',
      'globex-it',
      '--internal-name',
      'G IT',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/input\.mspParty: no party "nobody"/);
    const listed = await hub('engagement', 'list');
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t').slice(0, 4)),
    ).toEqual([
      ['acme', 'ACME', 'acme-it', 'msp'],
      ['default', 'HUB', 'internal', 'msp'],
    ]);
    const unknown = await hub(
      'token',
      'create',
      '--party',
      'msp',
      '--role',
      'agent',
      '--engagements',
      'globex',
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--engagements: no engagement "globex"/);
    const token = await hub('token', 'create', '--party', 'msp', '--role', 'agent', '--engagements', 'acme');
    const clear = /hub_[A-Za-z0-9_-]{43}/.exec(token.stdout)?.[0];
    expect(clear).toBeDefined();

    const database = await createDatabase({
      url: env.DATABASE_URL,
      dataDir: env.HUB_DATA_DIR ?? 'memory://',
      log: createLogger('silent'),
    });
    try {
      const viewer = await new TokenResolver(database.db).resolve(clear!);
      const acme = (await database.db.execute(
        "select id from engagements where slug = 'acme'",
      )) as unknown as {
        rows: { id: string }[];
      };
      expect(viewer?.engagementIds).toEqual([acme.rows[0]!.id]);
    } finally {
      await database.close();
    }
  });
});
