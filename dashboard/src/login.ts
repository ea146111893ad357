import { createApi, HubError, type ViewerInfo } from './api.ts';
import { byId } from './dom.ts';

const TOKEN_KEY = 'hub-dashboard-token';

export const forgetToken = (): void => sessionStorage.removeItem(TOKEN_KEY);

/**
 * A `?token=` in the address (how `npm run demo` opens the page) is taken once and removed
 * from the address bar and history at once, so it is not left in a bookmark or a screenshot.
 */
function tokenFromAddress(): string | null {
  const url = new URL(location.href);
  const token = url.searchParams.get('token');
  if (!token) return null;
  url.searchParams.delete('token');
  history.replaceState(null, '', url);
  return token;
}

async function check(token: string): Promise<ViewerInfo> {
  try {
    return await createApi(token).viewer();
  } catch (err) {
    if (err instanceof HubError && err.status === 401) throw new Error('That token is invalid or revoked.');
    throw new Error(`The hub did not answer: ${(err as Error).message}`);
  }
}

/**
 * Resolves with a working token and its viewer: the one kept in this tab's sessionStorage,
 * the one in the address, or the one typed into the form.
 */
export async function logIn(message?: string): Promise<{ token: string; viewer: ViewerInfo }> {
  const form = byId<HTMLFormElement>('login-form');
  const input = byId<HTMLInputElement>('token');
  const error = byId('login-error');
  const fromAddress = tokenFromAddress();
  const stored = fromAddress ?? sessionStorage.getItem(TOKEN_KEY);
  error.textContent = message ?? '';
  if (stored && !message) {
    try {
      const viewer = await check(stored);
      sessionStorage.setItem(TOKEN_KEY, stored);
      return { token: stored, viewer };
    } catch (err) {
      forgetToken();
      error.textContent = (err as Error).message;
    }
  }
  if (fromAddress) input.value = fromAddress;
  byId('login').hidden = false;
  input.focus();
  return new Promise((resolve) => {
    form.onsubmit = async (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      error.textContent = 'Checking…';
      try {
        const viewer = await check(token);
        sessionStorage.setItem(TOKEN_KEY, token);
        input.value = '';
        byId('login').hidden = true;
        resolve({ token, viewer });
      } catch (err) {
        error.textContent = (err as Error).message;
      }
    };
  });
}
