import './style.css';
import './board.css';
import './side.css';
import { type Api, type Connection, createApi, HubError, type Matrix, type ViewerInfo } from './api.ts';
import { byId, h } from './dom.ts';
import { type LinkState, startLive } from './live.ts';
import { forgetToken, logIn } from './login.ts';
import { renderBoard, renderStats } from './render-board.ts';
import { renderMatrix, renderSwitcher } from './render-matrix.ts';
import { renderFeed, renderHealth } from './render-side.ts';
import { createStore } from './store.ts';

const HEALTH_POLL_MS = 15_000;

declare global {
  interface Window {
    /** For tests and debugging: where a catch-up would start, and how many have run. */
    __hubDashboard?: { lastEventId(): string | null; catchUps(): number };
  }
}

function showLink(state: LinkState): void {
  document.body.dataset.link = state;
  const text: Record<LinkState, string> = {
    connecting: 'connecting…',
    live: 'live',
    reconnecting: 'disconnected — reconnecting',
    refused: 'token refused',
  };
  byId('link').textContent = text[state];
  byId('banner').hidden = state !== 'reconnecting';
}

const ENGAGEMENT_KEY = 'hub-dashboard-engagement';

/** The engagement the page shows: the MSP's pick (kept for the tab), or the token's only one. */
function pickedEngagement(viewer: ViewerInfo): string | null {
  const mine = viewer.engagements ?? [];
  if (mine.length === 1) return mine[0]!.slug;
  const kept = sessionStorage.getItem(ENGAGEMENT_KEY);
  return mine.some((e) => e.slug === kept) ? kept : null;
}

function run(token: string, viewer: ViewerInfo): void {
  const engagement = pickedEngagement(viewer);
  const api: Api = createApi(token, '/graphql', engagement);
  // Events of other engagements (the feed and catch-up queries read them all) stay off this page.
  const store = createStore((card) => !engagement || card.engagement?.slug === engagement);
  let matrix: Matrix | null = null;
  let matrixError: string | undefined;
  const admin = viewer.role === 'ADMIN';
  let connections: Connection[] | null = null;
  let healthError: string | undefined;
  let catchUps = 0;
  let renderPending = false;

  byId('viewer').replaceChildren(
    h('span', { class: `party party-${viewer.party.kind.toLowerCase()}` }, viewer.party.name),
    h('span', { class: 'role', 'data-role': viewer.role }, viewer.role),
    h('span', { class: 'muted' }, viewer.tokenName),
  );
  renderSwitcher(viewer.engagements ?? [], engagement, (slug) => {
    // A new scope is a new page: board, feed, matrix and subscription all start over.
    if (slug) sessionStorage.setItem(ENGAGEMENT_KEY, slug);
    else sessionStorage.removeItem(ENGAGEMENT_KEY);
    location.reload();
  });
  document.body.dataset.engagement = engagement ?? '';
  byId('app').hidden = false;

  const render = () => {
    renderPending = false;
    renderBoard(store);
    renderStats(store);
    renderFeed(store.feed());
    renderHealth({ admin, party: viewer.party.slug, connections, error: healthError, onReplay: replay });
    renderMatrix(matrix, matrixError);
  };

  async function refreshMatrix(): Promise<void> {
    if (!engagement) return;
    try {
      matrix = await api.matrix();
      matrixError = undefined;
    } catch (err) {
      matrixError = `Matrix unavailable: ${(err as Error).message}`;
    }
    schedule();
  }
  // One render per frame however many events arrive (a catch-up can bring hundreds).
  const schedule = () => {
    if (renderPending) return;
    renderPending = true;
    requestAnimationFrame(render);
  };

  let healthTimer: ReturnType<typeof setTimeout> | undefined;
  async function refreshHealth(): Promise<void> {
    if (!admin) return;
    clearTimeout(healthTimer);
    try {
      connections = await api.connections();
      healthError = undefined;
    } catch (err) {
      healthError = `Health unavailable: ${(err as Error).message}`;
    }
    schedule();
    healthTimer = setTimeout(refreshHealth, HEALTH_POLL_MS);
  }
  let matrixSoon: ReturnType<typeof setTimeout> | undefined;
  const refreshMatrixSoon = () => {
    clearTimeout(matrixSoon);
    matrixSoon = setTimeout(() => void refreshMatrix(), 1_000);
  };
  let healthSoon: ReturnType<typeof setTimeout> | undefined;
  const refreshHealthSoon = () => {
    clearTimeout(healthSoon);
    healthSoon = setTimeout(refreshHealth, 1_000);
  };

  async function replay(id: string): Promise<void> {
    try {
      const n = await api.replay(id);
      toast(`Replayed ${n} parked deliver${n === 1 ? 'y' : 'ies'} for ${id}.`);
    } catch (err) {
      toast(`Replay failed: ${(err as Error).message}`);
    }
    await refreshHealth();
  }

  /**
   * After a (re)connect: everything after the last event this page saw, then (after a drop) a
   * fresh board, so nothing that happened while the socket was down is silently missed.
   */
  async function catchUp(reconnected: boolean): Promise<void> {
    try {
      // No event at all when the board was read: everything since is new.
      for (const event of await api.eventsSince(store.lastEventId() ?? '0')) store.apply(event);
      if (reconnected) {
        const mark = store.mark();
        store.loadBoard(await api.board(), mark);
      }
      catchUps++;
      document.body.dataset.catchUps = String(catchUps);
      schedule();
      refreshHealthSoon();
    } catch (err) {
      if (err instanceof HubError && err.status === 401) return signOut('Your token was revoked.');
      setTimeout(() => void catchUp(reconnected), 2_000);
    }
  }

  let live: ReturnType<typeof startLive> | null = null;
  function signOut(message?: string): void {
    live?.stop();
    forgetToken();
    if (message) sessionStorage.setItem('hub-dashboard-message', message);
    location.reload();
  }
  byId('logout').onclick = () => signOut();

  setInterval(schedule, 30_000);

  // Board first, then the socket: its first connect catches up from the board's newest event.
  void (async () => {
    const [board, feed] = await Promise.all([api.board(), api.feed()]);
    store.loadBoard(board);
    store.loadFeed(feed);
    document.body.dataset.loaded = 'true';
    schedule();
    void refreshMatrix();
    live = startLive({
      token,
      engagements: engagement ? [engagement] : null,
      onEvent(event) {
        if (store.apply(event)) schedule();
        refreshHealthSoon();
        if (event.type === 'REASSIGNED' || event.type === 'UPDATED') refreshMatrixSoon();
      },
      onState(state) {
        showLink(state);
        if (state === 'refused') signOut('The hub refused this token.');
      },
      onFirstConnect: () => void catchUp(false),
      onReconnect: () => void catchUp(true),
    });
    window.__hubDashboard = { lastEventId: store.lastEventId, catchUps: () => catchUps };
    await refreshHealth();
  })().catch((err: unknown) => toast(`Could not load the board: ${(err as Error).message}`));
}

function toast(message: string): void {
  const el = h('div', { class: 'toast', role: 'status' }, message);
  byId('toasts').append(el);
  setTimeout(() => el.remove(), 6_000);
}

const message = sessionStorage.getItem('hub-dashboard-message') ?? undefined;
sessionStorage.removeItem('hub-dashboard-message');
void logIn(message).then(({ token, viewer }) => run(token, viewer));
