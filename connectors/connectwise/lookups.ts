/**
 * Names -> ids for boards, statuses, priorities and members, cached per connector context
 * (i.e. per connection). A name missing from the cache triggers one refresh, so a status added
 * in CW after start-up is still found.
 */
import type { AxiosInstance } from 'axios';
import { type ConnectorContext, ConnectorError, isConnectorError } from '../../src/connector-kit/index.ts';
import type { CwBoard, CwBoardStatus, CwMember, CwPriority } from './api-types.ts';
import { findBoardsByName, listBoardStatuses, listMembers, listPriorities } from './client.ts';
import type { ConnectWiseConfig } from './config.ts';
import { cwString } from './query.ts';

type Ctx = ConnectorContext<ConnectWiseConfig>;

interface Lookups {
  /** By lower-cased board name. */
  boards: Map<string, Promise<CwBoard>>;
  statuses: Map<number, Promise<CwBoardStatus[]>>;
  priorities?: Promise<CwPriority[]>;
  members?: Promise<Map<number, CwMember>>;
}

const caches = new WeakMap<Ctx, Lookups>();

function lookupsOf(ctx: Ctx): Lookups {
  let lookups = caches.get(ctx);
  if (!lookups) {
    lookups = { boards: new Map(), statuses: new Map() };
    caches.set(ctx, lookups);
  }
  return lookups;
}

/** Memoise a promise; a failed load is forgotten so the next call retries. */
function remember<T>(
  get: () => Promise<T> | undefined,
  set: (p: Promise<T> | undefined) => void,
  load: () => Promise<T>,
) {
  const existing = get();
  if (existing) return existing;
  const promise = load();
  set(promise);
  promise.catch(() => set(undefined));
  return promise;
}

/** The board named `name` (default: the connection's `board`). */
export function resolveBoard(ctx: Ctx, http: AxiosInstance, name = ctx.config.board): Promise<CwBoard> {
  const l = lookupsOf(ctx);
  const key = name.toLowerCase();
  return remember(
    () => l.boards.get(key),
    (p) => (p ? l.boards.set(key, p) : l.boards.delete(key)),
    async () => {
      const boards = await findBoardsByName(http, `name=${cwString(name)}`);
      const board = boards.find((b) => b.name.toLowerCase() === key);
      if (!board) throw new ConnectorError('bad_request', `ConnectWise board "${name}" not found`);
      return board;
    },
  );
}

function statusesOf(
  ctx: Ctx,
  http: AxiosInstance,
  boardId: number,
  fresh: boolean,
): Promise<CwBoardStatus[]> {
  const l = lookupsOf(ctx);
  if (fresh) l.statuses.delete(boardId);
  return remember(
    () => l.statuses.get(boardId),
    (p) => (p ? l.statuses.set(boardId, p) : l.statuses.delete(boardId)),
    () => listBoardStatuses(http, boardId),
  );
}

function findByName<T extends { name: string; inactive?: boolean }>(items: T[], name: string): T | undefined {
  const wanted = name.toLowerCase();
  const matches = items.filter((item) => item.name.toLowerCase() === wanted);
  return matches.find((item) => item.inactive !== true) ?? matches[0];
}

/** The id of status `name` on board `boardId` (statuses are per board in CW). */
export async function resolveStatusId(ctx: Ctx, http: AxiosInstance, boardId: number, name: string) {
  const status =
    findByName(await statusesOf(ctx, http, boardId, false), name) ??
    findByName(await statusesOf(ctx, http, boardId, true), name);
  if (!status) {
    throw new ConnectorError(
      'bad_request',
      `ConnectWise status "${name}" does not exist on board ${boardId}`,
    );
  }
  return status.id;
}

export async function resolvePriorityId(ctx: Ctx, http: AxiosInstance, name: string): Promise<number> {
  const l = lookupsOf(ctx);
  const load = () =>
    remember(
      () => l.priorities,
      (p) => {
        l.priorities = p;
      },
      () => listPriorities(http),
    );
  let priority = findByName(await load(), name);
  if (!priority) {
    l.priorities = undefined;
    priority = findByName(await load(), name);
  }
  if (!priority) throw new ConnectorError('bad_request', `ConnectWise priority "${name}" not found`);
  return priority.id;
}

/**
 * Every member by id, for owner emails. Emails are a nicety: when the API member may not list
 * members (a 403), tickets still map, without owner emails, and the next call tries again.
 */
export async function loadMembers(ctx: Ctx, http: AxiosInstance): Promise<ReadonlyMap<number, CwMember>> {
  try {
    return await loadAllMembers(ctx, http);
  } catch (err) {
    // Bad keys (401) and an unhealthy CW fail the call as they would anyway; a missing permission does not.
    const permanent =
      isConnectorError(err) &&
      (err.status === 403 || err.kind === 'not_found' || err.kind === 'invalid_response');
    if (!permanent) throw err;
    ctx.log.warn(
      { connectionId: ctx.connectionId, kind: err.kind, status: err.status },
      'cannot list ConnectWise members; owner emails left out',
    );
    return new Map();
  }
}

function loadAllMembers(ctx: Ctx, http: AxiosInstance): Promise<Map<number, CwMember>> {
  const l = lookupsOf(ctx);
  return remember(
    () => l.members,
    (p) => {
      l.members = p;
    },
    async () => new Map((await listMembers(http)).map((m) => [m.id, m])),
  );
}
