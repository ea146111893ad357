/**
 * The CLI's matrix commands, as an operator runs them: areas, rules with a phased hand-over, the
 * matrix and a preview; bad input exits 2 naming the field and writes nothing.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends, createTestDatabase } from './support/backends.ts';

const run = promisify(execFile);
const backend = (await availableBackends())[0]!;

describe(`hub CLI matrix commands (${backend})`, () => {
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

  it('builds a phased matrix, prints it, previews a ticket, and refuses bad rules', {
    timeout: 180_000,
  }, async () => {
    const e = ['--engagement', 'default'];
    expect(
      (await hub('area', 'create', ...e, '--key', 'helpdesk-t1', '--name', 'Helpdesk tier 1')).code,
    ).toBe(0);
    expect((await hub('area', 'create', ...e, '--key', 'backup', '--name', 'Backup')).code).toBe(0);
    expect(
      (
        await hub(
          'rule',
          'add',
          ...e,
          '--area',
          'helpdesk-t1',
          '--responsible',
          'internal',
          '--to',
          '2027-01-01',
        )
      ).code,
    ).toBe(0);
    const after = await hub(
      'rule',
      'add',
      ...e,
      '--area',
      'helpdesk-t1',
      '--responsible',
      'msp',
      '--accountable',
      'internal',
      '--from',
      '2027-01-01',
    );
    expect(after.code).toBe(0);
    expect(after.stdout).toContain('gap: backup always: every ticket');

    const matrix = await hub('matrix', ...e, '--at', '2026-12-15T10:00:00Z');
    expect(matrix.stdout).toContain('now: internal responsible, internal accountable');
    expect(matrix.stdout).toMatch(/from 2027-01-01:\n\s+msp responsible/);
    const preview = await hub(
      'route',
      'preview',
      ...e,
      '--area',
      'helpdesk-t1',
      '--at',
      '2027-01-02T10:00:00Z',
    );
    expect(preview.stdout).toMatch(/^msp: rule .* matches on 2027-01-02/);

    const overlap = await hub('rule', 'add', ...e, '--area', 'helpdesk-t1', '--responsible', 'msp');
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toContain('input.precedence: overlaps rule');
    const unknown = await hub('rule', 'add', ...e, '--area', 'payroll', '--responsible', 'msp');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('input.serviceArea: unknown service area "payroll"');
    const noSuch = await hub('matrix', '--engagement', 'nope');
    expect(noSuch.code).toBe(2);
    expect(noSuch.stderr).toContain('--engagement: no engagement "nope"');
    // Nothing of the refused rules was written.
    expect((await hub('matrix', ...e)).stdout.match(/\[/g)?.length).toBe(1);
  });
});
