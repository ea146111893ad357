/**
 * Config and credential checks, after Airbyte's acceptance tests: a valid config connects, an
 * invalid one is refused with a field a person can fix, and bad credentials fail politely.
 */
import { isConnectorError } from '../errors.ts';
import { formatIssuePath } from '../http.ts';
import { type CheckTarget, contextFor, describeError, ensure, fail } from './support.ts';

export async function checkValidConfigParses<C>(t: CheckTarget<C>): Promise<void> {
  const result = t.connector.configSchema.safeParse(t.harness.validConfig);
  if (result.success) return;
  const issue = result.error.issues[0];
  fail(
    `harness.validConfig is refused by ${t.connector.id}.configSchema at ${issue ? formatIssuePath(issue.path) || '(root)' : '?'}: ${issue?.message}. Fix the schema or the harness config.`,
  );
}

export async function checkInvalidConfigsFail<C>(t: CheckTarget<C>): Promise<void> {
  const invalid = t.harness.invalidConfigs;
  ensure(
    invalid.length > 0,
    'harness.invalidConfigs is empty: list configs the schema must refuse (a missing token, a base URL that is not a URL, a page size of 0...)',
  );
  invalid.forEach((value, i) => {
    const result = t.connector.configSchema.safeParse(value);
    ensure(
      !result.success,
      `harness.invalidConfigs[${i}] was accepted by configSchema: tighten the schema (z.url() for URLs, .min(1) for secrets, bounds on numbers)`,
    );
    const named = result.error.issues.some((issue) => issue.path.length > 0);
    ensure(
      named,
      `harness.invalidConfigs[${i}] was refused, but no issue names a field ("${result.error.issues[0]?.message}"): validate each field inside z.object (not only in a top-level refine) so the user learns which field to fix`,
    );
  });
}

export async function checkCheckSucceeds<C>(t: CheckTarget<C>): Promise<void> {
  let result: Awaited<ReturnType<typeof t.connector.check>>;
  try {
    result = await t.connector.check(t.ctx);
  } catch (err) {
    fail(`check() threw ${describeError(err)}: it must never throw; return { ok: false, reason } instead`);
  }
  ensure(
    result.ok,
    `check() with harness.validConfig returned ok: false: "${result.ok ? '' : result.reason}"`,
  );
}

export async function checkBadCredentialsFailPolitely<C>(t: CheckTarget<C>): Promise<void> {
  const ctx = contextFor(t.connector, t.harness.badCredentialsConfig);
  let result: Awaited<ReturnType<typeof t.connector.check>>;
  try {
    result = await t.connector.check(ctx);
  } catch (err) {
    fail(
      `check() threw ${describeError(err)} for harness.badCredentialsConfig: it must return { ok: false, reason } instead`,
    );
  }
  ensure(
    !result.ok,
    'check() returned ok: true for harness.badCredentialsConfig: it must make an authenticated call',
  );
  ensure(
    typeof result.reason === 'string' && result.reason.trim() !== '',
    'check() returned ok: false without a reason: say what the user should fix (e.g. "the API key was rejected")',
  );
  const leaked = secretsOf(t).filter((secret) => JSON.stringify(result).includes(secret));
  ensure(
    leaked.length === 0,
    `check()'s reason contains ${leaked.length} secret value(s) from the config: build the reason from the error kind and status, never from headers or the request`,
  );
}

export async function checkAuthFailuresAreTyped<C>(t: CheckTarget<C>): Promise<void> {
  const ctx = contextFor(t.connector, t.harness.badCredentialsConfig);
  const id = t.harness.unknownExternalId ?? '999999999';
  let outcome: unknown;
  try {
    outcome = await t.connector.getTicket(ctx, id);
  } catch (err) {
    ensure(
      isConnectorError(err),
      `getTicket with bad credentials threw ${describeError(err)}: throw ConnectorError (ctx.http does the mapping for you)`,
    );
    ensure(
      err.kind === 'auth',
      `getTicket with bad credentials threw ConnectorError('${err.kind}'): it must be 'auth', so the engine pauses the connection and tells an admin`,
    );
    const leaked = secretsOf(t).filter((secret) => err.message.includes(secret));
    ensure(leaked.length === 0, 'the auth error message contains a secret from the config');
    return;
  }
  fail(
    `getTicket with bad credentials returned ${outcome === null ? 'null' : 'a record'} instead of throwing ConnectorError('auth'): a 401 must never look like "not found"`,
  );
}

/**
 * Secrets named by the harness, plus config values whose schema field is described `secret: ...`
 * (the contract's convention), so a harness that forgets `secrets` is still checked.
 */
export function secretsOf<C>(t: CheckTarget<C>): string[] {
  const found = new Set(t.harness.secrets ?? []);
  const shape = (t.connector.configSchema as unknown as { shape?: Record<string, { description?: string }> })
    .shape;
  for (const config of [t.harness.validConfig, t.harness.badCredentialsConfig]) {
    for (const [key, field] of Object.entries(shape ?? {})) {
      const value = (config as Record<string, unknown> | null)?.[key];
      if (field?.description?.toLowerCase().startsWith('secret') && typeof value === 'string')
        found.add(value);
    }
  }
  return [...found].filter((secret) => secret.length >= 4);
}
