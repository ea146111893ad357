import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// What a user installs must agree on one Node.js line: the current LTS named in .nvmrc. These
// checks keep the Dockerfile, package.json and CI from drifting apart; CI then runs this suite
// on that very version (the last test), which is what proves the hub runs there.
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const ltsMajor = Number(read('.nvmrc').trim());

describe('the Node.js the hub targets', () => {
  it('is an even (LTS) major of at least 24', () => {
    expect(ltsMajor % 2).toBe(0);
    expect(ltsMajor).toBeGreaterThanOrEqual(24);
  });

  it('is what both Docker stages build on', () => {
    const froms = [...read('Dockerfile').matchAll(/^FROM node:(\d+)[-\w.]*/gm)].map((m) => Number(m[1]));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    expect(new Set(froms)).toEqual(new Set([ltsMajor]));
  });

  it('satisfies package.json engines', () => {
    const engines = JSON.parse(read('package.json')).engines.node as string;
    const min = Number(/^>=(\d+)/.exec(engines)?.[1]);
    expect(ltsMajor).toBeGreaterThanOrEqual(min);
  });

  it('is installed by CI from .nvmrc', () => {
    expect(read('.ci/run')).toMatch(/\.nvmrc/);
  });

  const inCi = process.env.CI === 'true';
  if (!inCi)
    console.warn('[skip] the running-version check runs in CI only (.ci/run installs the LTS first)');
  it.runIf(inCi)('is the version this CI run executes on', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(ltsMajor);
  });
});

describe('the Docker image', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('gives the embedded database a folder the unprivileged user owns', () => {
    const dataDir = /^ENV HUB_DATA_DIR=(\S+)/m.exec(runtime)?.[1];
    expect(dataDir, 'the runtime stage sets HUB_DATA_DIR').toBeTruthy();
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBe('node');
    expect(runtime).toContain(`chown ${user}:${user} ${dataDir}`);
    expect(runtime.indexOf(`chown ${user}`)).toBeLessThan(runtime.indexOf(`USER ${user}`));
    expect(runtime).toMatch(new RegExp(`VOLUME \\["${dataDir}"\\]`));
  });

  it('installs with npm ci from the committed lock', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(read('.ci/run')).not.toMatch(/npm install --no-audit/);
  });
});
