import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { findDeepVariable, findNulArgument, MAX_VARIABLE_DEPTH } from './input-guard.ts';

export function deepVariableError(name: string): GraphQLError {
  return new GraphQLError(
    `$${name}: nested more than ${MAX_VARIABLE_DEPTH} levels deep; no input of this API is. Send the value the argument's type describes.`,
    { extensions: { code: 'BAD_USER_INPUT', field: `$${name}`, http: { status: 400 } } },
  );
}

export function nulArgumentError(path: string): GraphQLError {
  return new GraphQLError(
    `${path}: contains a NUL character (\\u0000), which text fields cannot store. Remove it and retry.`,
    { extensions: { code: 'BAD_USER_INPUT', field: path } },
  );
}

/**
 * Refuses hostile input as BAD_USER_INPUT before it reaches graphql-js or Postgres (see
 * input-guard.ts). Applies to HTTP and, through the envelop hooks, to WebSocket subscriptions.
 */
export function useInputGuard(): Plugin {
  return {
    onParams({ params, setResult }) {
      const deep = findDeepVariable(params.variables as Record<string, unknown> | undefined);
      if (deep) setResult({ errors: [deepVariableError(deep)] });
    },
    onExecute({ args, setResultAndStopExecution }) {
      const path = findNulArgument(args.document, args.variableValues as Record<string, unknown>);
      if (path) setResultAndStopExecution({ errors: [nulArgumentError(path)] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const path = findNulArgument(args.document, args.variableValues as Record<string, unknown>);
      if (path) setResultAndStopExecution({ errors: [nulArgumentError(path)] });
    },
  };
}
