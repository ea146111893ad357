/**
 * The one error type connectors throw. Its message names method, path and status, and it
 * never carries headers, bodies with credentials, or query strings with keys in them.
 */
export type ConnectorErrorKind =
  | 'auth'
  | 'not_found'
  | 'rate_limited'
  | 'invalid_response'
  | 'unavailable'
  | 'conflict'
  | 'bad_request';

export interface ConnectorErrorDetails {
  method?: string;
  /** Path only, never the query string (it may hold keys). */
  path?: string;
  status?: number;
  /** Seconds the vendor asked us to wait, when it said. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly kind: ConnectorErrorKind;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ConnectorErrorKind, message: string, details: ConnectorErrorDetails = {}) {
    const where = details.method && details.path ? ` (${details.method.toUpperCase()} ${details.path}` : '';
    const status = where && details.status !== undefined ? ` -> ${details.status})` : where ? ')' : '';
    super(`${message}${where}${status}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.method = details.method?.toUpperCase();
    this.path = details.path;
    this.status = details.status;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** Whether retrying the same call later can succeed. */
  get retryable(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'unavailable';
  }
}

export function isConnectorError(err: unknown): err is ConnectorError {
  return err instanceof ConnectorError;
}
