import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST } from 'graphql';

/**
 * Compiles query documents with graphql-jit (cached per document): the read path's biggest
 * CPU cost is the generic executor walking 50 tickets x fields. Mutations and subscriptions
 * keep the reference executor (subscriptions are shared per group in ws.ts instead).
 * Auth scopes, masking and limits are plugins around execution, so they apply unchanged.
 */
export function useJit() {
  return useGraphQlJit(
    {},
    { enableIf: (args) => getOperationAST(args.document, args.operationName)?.operation === 'query' },
  );
}
