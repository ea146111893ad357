import { type ExecutionArgs, GraphQLError, getOperationAST, getVariableValues } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { queryCost } from './query-cost.ts';

type Verdict = { errors: GraphQLError[] } | null;

/**
 * Coerces the variables once with graphql-js, so a value that does not fit its type is refused
 * as BAD_USER_INPUT naming the variable and the path inside it (graphql-jit's own coercion
 * named the wrong variable and surfaced as a 500), then charges the query's cost with those
 * values (query-cost.ts) against MAX_QUERY_COST.
 */
export function checkQuery(args: ExecutionArgs, maxCost: number): Verdict {
  const operation = getOperationAST(args.document, args.operationName);
  if (!operation) return null;
  const coerced = getVariableValues(
    args.schema,
    operation.variableDefinitions ?? [],
    (args.variableValues ?? {}) as Record<string, unknown>,
    { maxErrors: 5 },
  );
  if (coerced.errors) {
    return {
      errors: coerced.errors.map(
        (e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'BAD_USER_INPUT' } }),
      ),
    };
  }
  const cost = queryCost(args.schema, args.document, operation, coerced.coerced);
  if (cost <= maxCost) return null;
  return {
    errors: [
      new GraphQLError(
        `Query cost ${cost} exceeds the limit of ${maxCost} (MAX_QUERY_COST). Every object returned costs 1, lists count \`first\` (default 25) of them: ask for smaller pages, fewer nested lists or fewer aliases, and page with \`after\`.`,
        { extensions: { code: 'QUERY_TOO_COSTLY', cost, limit: maxCost } },
      ),
    ],
  };
}

/** Runs checkQuery before every execution and subscription, over HTTP and WebSocket alike. */
export function useQueryLimits(maxCost: number): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const verdict = checkQuery(args, maxCost);
      if (verdict) setResultAndStopExecution(verdict);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const verdict = checkQuery(args, maxCost);
      if (verdict) setResultAndStopExecution(verdict);
    },
  };
}
