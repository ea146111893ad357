import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

/**
 * What may be logged of an unexpected error: its type, message and stack, without the
 * parameters a failed statement carries (drizzle puts them in the message; they can be a
 * token's hash or a tool's payload) and with only the message of its cause.
 */
export function toSafeError(err: unknown): { type: string; message: string; cause?: string; stack?: string } {
  const strip = (text: string) => text.split('\nparams:')[0]!.slice(0, 2000);
  if (!(err instanceof Error)) return { type: typeof err, message: strip(String(err)) };
  const cause = (err as { cause?: unknown }).cause;
  return {
    type: err.name,
    message: strip(err.message),
    ...(cause instanceof Error ? { cause: strip(cause.message) } : {}),
    ...(err.stack ? { stack: strip(err.stack) } : {}),
  };
}

/**
 * Errors thrown by a plugin's `onRequest` never reach yoga's masking: the server adapter would
 * answer them with the stack as plain text. Wrapped here, they are logged (safely) and answered
 * like any unexpected error: HTTP 500, JSON, `INTERNAL_SERVER_ERROR`, no detail.
 */
export function withMaskedErrors(plugin: Plugin, log: Logger): Plugin {
  const onRequest = plugin.onRequest;
  if (!onRequest) return plugin;
  return {
    ...plugin,
    async onRequest(payload) {
      try {
        return await onRequest(payload);
      } catch (err) {
        log.error({ err: toSafeError(err), path: payload.url.pathname }, 'request failed');
        payload.endResponse(
          payload.fetchAPI.Response.json(
            { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
            { status: 500 },
          ),
        );
      }
    },
  };
}
