import { GraphQLError } from 'graphql';
import type { Logger } from '../logger.ts';

/**
 * graphql-armor reports its limits as "Syntax Error: Query depth limit of 10 exceeded…": they
 * get their own codes (a client must not retry them as a typo). Variable values that do not
 * fit their type are the client's input, like a bad argument.
 */
function classify(message: string): { code: string; message: string } {
  const limit = /^Syntax Error: ((Query depth|Aliases|Directives|Token|Query Cost) limit .*)$/s.exec(message);
  if (limit) {
    const code = limit[2] === 'Query depth' ? 'QUERY_TOO_DEEP' : 'QUERY_TOO_COMPLEX';
    return { code, message: limit[1]! };
  }
  if (message.startsWith('Syntax Error')) return { code: 'GRAPHQL_PARSE_FAILED', message };
  if (message.startsWith('Variable "$')) return { code: 'BAD_USER_INPUT', message };
  return { code: 'GRAPHQL_VALIDATION_FAILED', message };
}

/**
 * Expected errors (AppError, GraphQL syntax and validation errors) pass through with a code;
 * anything else is logged in full and reaches the client as a bare "Unexpected error."
 */
export function createMaskError(log: Logger) {
  return (error: unknown, message: string): Error => {
    if (error instanceof GraphQLError) {
      const original = error.originalError;
      if (!original || original instanceof GraphQLError) {
        if (error.extensions?.code) return error;
        const { code, message: text } = classify(error.message);
        return new GraphQLError(text, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          extensions: { ...error.extensions, code },
        });
      }
      log.error({ err: original, path: error.path?.join('.') }, 'unexpected error in resolver');
      return new GraphQLError(message, { path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }
    log.error({ err: error }, 'unexpected error');
    return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}
