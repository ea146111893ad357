/** Jira's error envelope, `{errorMessages: [...], errors: {field: message}}`, and the common answers. */
import type { SimIssue } from './sim-model.ts';
import type { SimStore } from './sim-store.ts';

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** `METHOD /path/{id}` when the request wrote something (counted per endpoint). */
  write?: string;
  /** Set on search pages, so `onNextPageServed` hooks run before the page is sent. */
  listPage?: boolean;
}

export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorMessages: string[],
    readonly errors: Record<string, string> = {},
  ) {
    super(errorMessages[0] ?? Object.values(errors)[0] ?? `HTTP ${status}`);
  }
}

export const fieldError = (field: string, message: string) => new SimHttpError(400, [], { [field]: message });

export const cannotSet = (field: string) =>
  fieldError(field, `Field '${field}' cannot be set. It is not on the appropriate screen, or unknown.`);

export function requireIssue(store: SimStore, idOrKey: string): SimIssue {
  const issue = store.findIssue(decodeURIComponent(idOrKey));
  if (!issue) throw new SimHttpError(404, ['Issue does not exist or you do not have permission to see it.']);
  return issue;
}

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new SimHttpError(400, [`${what} must be a JSON object.`]);
}
