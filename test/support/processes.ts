import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Real hub and CLI processes (`src/main.ts`, `src/cli.ts`) for tests of start-up and the CLI. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The parent's environment without hub settings, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(HUB_|VITEST|DATABASE_URL$|PORT$|HOST$|PUBLIC_URL$|SYNC_|NODE_ENV$|LOG_LEVEL$)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, NODE_ENV: 'test', ...extra };
}

export interface Exited {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run hub -- <args>` (the CLI) to completion. */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<Exited> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: REPO,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI ${args.join(' ')} did not finish in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface HubProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exited>;
  /** Resolves with the GraphQL URL once the hub says it is ready, or with its exit if it stopped first. */
  ready(timeoutMs?: number): Promise<{ url: string; firstToken: string | null } | Exited>;
}

/** Starts `npm start` (src/main.ts) with `env` on top of a clean environment. */
export function startHubProcess(env: Record<string, string>): HubProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: childEnv({ HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<Exited>((resolve) =>
    child.once('exit', (code) => resolve({ code, stdout: out, stderr: err })),
  );
  let done: Exited | null = null;
  void exited.then((e) => {
    done = e;
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async ready(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (done) return done;
        const url = /Hub ready at (\S+)/.exec(out)?.[1];
        const first = /First start:[\s\S]*?\n\s+(hub_\S+)[\s\S]*GraphiQL:\s+(\S+)/.exec(out);
        // The banner comes before the work starts: ready means the port answers /readyz too.
        const candidate = url ?? first?.[2];
        if (candidate) {
          const health = await fetch(candidate.replace(/\/graphql$/, '/readyz')).catch(() => null);
          if (health?.status === 200) return { url: candidate, firstToken: first?.[1] ?? null };
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      child.kill('SIGKILL');
      throw new Error(`hub not ready in ${timeoutMs} ms:\n${out}\n${err}`);
    },
  };
}

/** POSTs a GraphQL query with a token. */
export async function gqlAt<T>(
  url: string,
  token: string,
  query: string,
): Promise<{ data?: T; errors?: unknown[] }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return (await res.json()) as { data?: T; errors?: unknown[] };
}

/** The clear token a `token create` printed. */
export function tokenFrom(output: string): string {
  const token = /\b(hub_[A-Za-z0-9_-]{20,})/.exec(output)?.[1];
  if (!token) throw new Error(`no token in:\n${output}`);
  return token;
}
