import { GraphQLError } from 'graphql';
import type { Logger } from '../logger.ts';

/**
 * Expected errors (AppError, GraphQL syntax and validation errors) pass through with a code;
 * anything else is logged in full and reaches the client as a bare "Unexpected error."
 */
export function createMaskError(log: Logger) {
  return (error: unknown, message: string): Error => {
    if (error instanceof GraphQLError) {
      const original = error.originalError;
      if (!original || original instanceof GraphQLError) {
        if (error.extensions.code) return error;
        const code = error.message.startsWith('Syntax Error')
          ? 'GRAPHQL_PARSE_FAILED'
          : 'GRAPHQL_VALIDATION_FAILED';
        return new GraphQLError(error.message, {
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
