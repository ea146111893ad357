/**
 * Connection scope helpers: which customer a create lands under, and the keys a pull asks the
 * vendor for. Every connector calls these, so "outside the scope" means one thing everywhere.
 *
 * A connection's scope is `ctx.scopeKeys` (see the contract): the tool's customer keys the
 * connection may read and write, or null for the whole tool. The engine drops pulled records
 * outside it; the connector narrows pulls server-side where it can and refuses to create outside.
 */
import type { ConnectorContext } from './contract.ts';
import { ConnectorError } from './errors.ts';
import type { TicketDraft } from './records.ts';

/**
 * The customer key a new ticket is created under, or null for the tool's (or config's) default.
 *
 * - `draft.scopeKey` when given;
 * - else, on a connection scoped to exactly one key, that key;
 * - else `fallback` (the connector config's own default customer, if it has one).
 *
 * Throws a non-retryable `ConnectorError('bad_request')` when the connection is scoped and the
 * result is outside `ctx.scopeKeys` (or is null with several keys to choose from): nothing is
 * written, and the message says which key and which scope.
 */
export function resolveCreateScope(
  ctx: Pick<ConnectorContext<unknown>, 'scopeKeys' | 'connectionId'>,
  draft: Pick<TicketDraft, 'scopeKey'>,
  fallback: string | null = null,
): string | null {
  const keys = ctx.scopeKeys;
  const only = keys && keys.length === 1 ? (keys[0] ?? null) : null;
  const key = draft.scopeKey ?? only ?? fallback;
  if (keys === null) return key;
  if (key === null) {
    throw new ConnectorError(
      'bad_request',
      `connection ${ctx.connectionId} serves several customers (${listKeys(keys)}) and the new ticket names none: set draft.scopeKey to one of them`,
    );
  }
  if (!keys.includes(key)) {
    throw new ConnectorError(
      'bad_request',
      `refusing to create a ticket for customer "${key}": connection ${ctx.connectionId} is scoped to ${listKeys(keys)}. Add the customer to the connection's scope or create the ticket through the connection that serves it`,
    );
  }
  return key;
}

/**
 * True when the connection is scoped to no customer at all: a pull then asks the vendor for
 * nothing (many filter syntaxes reject an empty `in ()`), and a create is always refused.
 */
export function scopeIsEmpty(ctx: Pick<ConnectorContext<unknown>, 'scopeKeys'>): boolean {
  return ctx.scopeKeys !== null && ctx.scopeKeys.length === 0;
}

/** Whether `key` is inside the connection's scope (always true for an unscoped connection). */
export function inScope(ctx: Pick<ConnectorContext<unknown>, 'scopeKeys'>, key: string | null | undefined) {
  return ctx.scopeKeys === null || (key != null && ctx.scopeKeys.includes(key));
}

function listKeys(keys: readonly string[]): string {
  if (keys.length === 0) return 'no customer';
  const shown = keys.slice(0, 5).map((k) => `"${k}"`);
  return keys.length > 5 ? `${shown.join(', ')} and ${keys.length - 5} more` : shown.join(', ');
}
