/** Errors that mean "the server named by DATABASE_URL cannot be used", not a bug. */
const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);
const SERVER_CODES: Record<string, string> = {
  '28P01': 'password authentication failed',
  '28000': 'the server refused this user',
  '3D000': 'the database does not exist',
};

export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** A message naming DATABASE_URL (password hidden) and what to check, or null for other errors. */
export function unreachable(err: unknown, url: string): DatabaseUnavailableError | null {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const reason = SERVER_CODES[code] ?? (CONNECT_CODES.has(code) ? `${code}: nothing answered` : null);
  if (!reason) return null;
  return new DatabaseUnavailableError(
    `Cannot use Postgres at ${redactUrl(url)} (DATABASE_URL): ${reason}${e.message ? ` (${e.message})` : ''}. ` +
      'Check that the server runs and that DATABASE_URL names the right host, port, user, password and database; ' +
      'or unset DATABASE_URL to use the embedded database in HUB_DATA_DIR.',
  );
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
