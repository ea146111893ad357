/**
 * Runs `SCENARIO` against an RT server and records what it answers. Two uses:
 * - refresh the fixture from a real RT:  npx tsx connectors/request-tracker/capture-fixtures.ts http://127.0.0.1:8089
 * - `simulator.test.ts` runs the same scenario against the simulator and compares.
 * Recorded bodies have the server's origin replaced by `{base}`; nothing secret is recorded
 * (requests authenticate as root/password, which is RT's documented default, and no token is used).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCENARIO, type ScenarioStep } from './fixture-scenario.ts';

export interface RecordedStep {
  name: string;
  status: number;
  location: string | null;
  body: unknown;
  /** Saved ids, so exact comparisons can put placeholders back. */
  saved: Record<string, string>;
}

function fill(text: string, saved: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => saved[name] ?? whole);
}

function authHeader(step: ScenarioStep): Record<string, string> {
  if (step.auth === 'none') return {};
  const password = step.auth === 'wrong' ? 'wrong-password' : 'password';
  return { authorization: `Basic ${Buffer.from(`root:${password}`).toString('base64')}` };
}

/** Replaces the origin with `{base}` everywhere in a JSON value. */
export function withBasePlaceholder(value: unknown, origin: string): unknown {
  return JSON.parse(
    JSON.stringify(value ?? null)
      .split(origin)
      .join('{base}'),
  );
}

export async function runScenario(origin: string, steps: ScenarioStep[] = SCENARIO): Promise<RecordedStep[]> {
  const saved: Record<string, string> = {};
  const recorded: RecordedStep[] = [];
  for (const step of steps) {
    const url = new URL(`${origin}/REST/2.0${fill(step.path, saved)}`);
    for (const [key, value] of Object.entries(step.query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, fill(v, saved));
    }
    const res = await fetch(url, {
      method: step.method,
      headers: {
        ...authHeader(step),
        ...(step.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: step.body === undefined ? undefined : JSON.stringify(step.body),
    });
    const text = await res.text();
    const body: unknown = text === '' ? null : JSON.parse(text);
    const location = res.headers.get('location');
    if (step.save) {
      const value =
        step.save.from === 'body.id'
          ? String((body as { id?: unknown }).id)
          : (/\/(\d+)$/.exec(location ?? '')?.[1] ?? '');
      saved[step.save.name] = value;
    }
    recorded.push({
      name: step.name,
      status: res.status,
      location,
      body: withBasePlaceholder(body, origin),
      saved: { ...saved },
    });
  }
  return recorded;
}

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
if (isMain) {
  const origin = process.argv[2];
  if (!origin) throw new Error('usage: capture-fixtures.ts <RT base URL> (scripts/start-rt.sh prints it)');
  const steps = await runScenario(origin.replace(/\/+$/, ''));
  const target = fileURLToPath(new URL('./fixtures/rt-5.0.3-scenario.json', import.meta.url));
  writeFileSync(
    target,
    `${JSON.stringify({ capturedFrom: 'request-tracker5 5.0.3+dfsg-3~deb12u6 (Debian 12), rt-server standalone, SQLite', steps }, null, 2)}\n`,
  );
  console.info(`wrote ${steps.length} steps to ${target}`);
}
