import { GraphQLError } from 'graphql';

/** The closed set of codes a client can rely on in `extensions.code`. */
export type AppErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VERSION_CONFLICT'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  // Limits (README "Limits"): refused before anything runs, never worth retrying unchanged.
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'QUERY_TOO_COMPLEX'
  | 'TOO_MANY_SUBSCRIPTIONS';

/**
 * An expected failure: yoga passes it to the client unmasked, with its code.
 * Anything else thrown in a resolver is masked as "Unexpected error." and logged.
 */
export class AppError extends GraphQLError {
  readonly code: AppErrorCode;

  constructor(code: AppErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.code = code;
  }
}

export function notFound(what: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${what} ${id} does not exist or is not visible to your party.`);
}

export function badInput(field: string, message: string): AppError {
  return new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });
}
