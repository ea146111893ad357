/**
 * Connection scope for Autotask: a customer is a company, keyed by its `companyID` as a string
 * ("174"). A scoped connection reads `companyID in [...]`; an unscoped one keeps the configured
 * `companyId`, as before scoping existed.
 */
import { type ConnectorContext, ConnectorError, resolveCreateScope } from '../../src/connector-kit/index.ts';
import type { AutotaskConfig } from './config.ts';
import { type AtFilter, cmp, eq, or } from './filter.ts';

type Ctx = ConnectorContext<AutotaskConfig>;

/** Autotask caps an `in` list (500 values, UNCONFIRMED for REST): longer scopes are OR-ed chunks. */
const IN_LIMIT = 500;

/** A scope key as a company id; anything else is a configuration mistake, named as such. */
export function toCompanyId(key: string): number {
  if (!/^\d{1,12}$/.test(key)) {
    throw new ConnectorError(
      'bad_request',
      `"${key.slice(0, 40)}" is not an Autotask company id: scope an Autotask connection by companyID numbers, e.g. "174"`,
    );
  }
  return Number(key);
}

/** The server-side filter on the connection's companies. */
export function companyCondition(ctx: Ctx): AtFilter {
  if (ctx.scopeKeys === null) return eq('companyID', ctx.config.companyId);
  const ids = ctx.scopeKeys.map(toCompanyId);
  if (ids.length === 1) return eq('companyID', ids[0] ?? 0);
  const chunks: AtFilter[] = [];
  for (let i = 0; i < ids.length; i += IN_LIMIT)
    chunks.push(cmp('in', 'companyID', ids.slice(i, i + IN_LIMIT)));
  return chunks.length === 1 ? (chunks[0] as AtFilter) : or(...chunks);
}

/** The company a new ticket is created for; refused (before any request) outside the scope. */
export function createCompanyId(ctx: Ctx, scopeKey: string | null | undefined): number {
  const key = resolveCreateScope(ctx, { scopeKey }, String(ctx.config.companyId));
  return toCompanyId(key ?? String(ctx.config.companyId));
}
