import {
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  parse,
} from 'graphql';
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
  return { errors: [tooCostly(cost, maxCost)] };
}

/**
 * The cost alone, before validation: a flood of costly documents (text varied so no cache
 * helps) is refused without paying for graphql-js validation, which is the dearest step for a
 * document of twenty aliases. Null when the variables do not coerce yet (validation and
 * checkQuery report that).
 */
function costBeforeValidation(
  schema: ExecutionArgs['schema'],
  document: ExecutionArgs['document'],
  params: { variables?: unknown; operationName?: string | null } | undefined,
  maxCost: number,
): GraphQLError[] | null {
  try {
    const operation = getOperationAST(document, params?.operationName ?? undefined);
    if (!operation) return null;
    const coerced = getVariableValues(
      schema,
      operation.variableDefinitions ?? [],
      (params?.variables ?? {}) as Record<string, unknown>,
    );
    if (coerced.errors) return null;
    const cost = queryCost(schema, document, operation, coerced.coerced);
    return cost > maxCost ? [tooCostly(cost, maxCost)] : null;
  } catch {
    return null; // an unvalidated document may be anything: validation will say what
  }
}

function tooCostly(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `Query cost ${cost} exceeds the limit of ${maxCost} (MAX_QUERY_COST). Every object returned costs 1, lists count \`first\` (default 25) of them: ask for smaller pages, fewer nested lists or fewer aliases, and page with \`after\`.`,
    { extensions: { code: 'QUERY_TOO_COSTLY', cost, limit: maxCost } },
  );
}

/** Runs checkQuery before every execution and subscription, over HTTP and WebSocket alike. */
export function useQueryLimits(schema: GraphQLSchema, maxCost: number): Plugin {
  return {
    // Over HTTP the cost is checked on the request itself (its own parse): a result set in
    // onValidate would land in yoga's validation cache and refuse the same text with small
    // variables too.
    onParams({ params, setResult }) {
      if (typeof params.query !== 'string') return;
      let document: ExecutionArgs['document'];
      try {
        document = parse(params.query, { maxTokens: 10_000 });
      } catch {
        return; // yoga reports the syntax error
      }
      const errors = costBeforeValidation(schema, document, params, maxCost);
      if (errors) setResult({ errors });
    },
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
