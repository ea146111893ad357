/** Talking to a hub child process: start it, GraphQL over HTTP, stats, stop. */
import { type ChildProcess, fork } from 'node:child_process';
import { nextMessage, stopChild } from './harness.ts';

export interface HubProc {
  child: ChildProcess;
  url: string;
  wsUrl: string;
  ticketId: string;
  tokens: { internalAgent: string; internalViewer: string; mspViewer: string };
  gql<T = Record<string, unknown>>(
    token: string,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<T>;
  stats(): Promise<{ active: number; executions: number; deliveries: number; groups: number }>;
  mem(): Promise<{ rss: number; heap: number; gc: boolean }>;
  stop(): Promise<void>;
}

export async function startHubProc(): Promise<HubProc> {
  const child = fork(new URL('./hub-proc.ts', import.meta.url).pathname, [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await nextMessage<Omit<HubProc, 'child' | 'gql' | 'stats' | 'mem' | 'stop'>>(child, 'ready');
  const ask = <T>(type: string) => {
    const p = nextMessage<T>(child, type);
    child.send({ type });
    return p;
  };
  return {
    ...ready,
    child,
    async gql(token, query, variables) {
      const res = await fetch(ready.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data?: unknown; errors?: unknown };
      if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
      return body.data as never;
    },
    stats: () => ask('stats'),
    mem: () => ask('mem'),
    async stop() {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.send({ type: 'stop' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
      await stopChild(child);
    },
  };
}
