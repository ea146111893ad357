/**
 * What a query will cost, in objects the server builds, computed with the request's real
 * argument values: `first` from a variable, or the default page size when it is left out.
 * graphql-armor's cost limit read only literal `first` values, so `first: $n` and a missing
 * `first` were free; one request returned 20,100 nodes and twenty aliases of it 402,000.
 *
 * Scalars are free (they are read from rows already fetched); every object costs 1, times how
 * many of it a list returns: a connection's `first`/`last` (default DEFAULT_PAGE_SIZE), the
 * length of an `ids` argument, and LIST_SIZE for any other list.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../schema/pagination.ts';

/** A guess for lists without a size argument (a ticket's links, an event's changes, parties). */
export const LIST_SIZE = 10;

interface Walk {
  schema: GraphQLSchema;
  variables: Record<string, unknown>;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Fragments being expanded: the check also runs before validation, so cycles can occur. */
  expanding: Set<string>;
}

function sizeArgument(
  field: GraphQLField<unknown, unknown>,
  node: Parameters<typeof getArgumentValues>[1],
  variables: Record<string, unknown>,
): number | null {
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, variables);
  } catch {
    return null; // execution reports the bad argument itself
  }
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (typeof value === 'number' && Number.isFinite(value)) return Math.max(0, value);
  }
  if (Array.isArray(args.ids)) return args.ids.length;
  return null;
}

function isConnection(type: GraphQLObjectType): boolean {
  return 'edges' in type.getFields() && 'pageInfo' in type.getFields();
}

/**
 * Cost of a selection on `parent`. `pageSize` is the size of the connection `parent` is, so
 * its `edges` list costs that many nodes.
 */
function selectionCost(
  walk: Walk,
  parent: GraphQLObjectType,
  set: SelectionSetNode,
  pageSize: number | null,
): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT || selection.kind === Kind.FRAGMENT_SPREAD) {
      const spread = selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : null;
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
      if (!fragment || (spread !== null && walk.expanding.has(spread))) continue;
      if (spread !== null) walk.expanding.add(spread);
      const on = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : parent;
      // On an interface (Node), charge as if the object were the parent's type or the first
      // implementation: all of them cost the same here.
      const target = isObjectType(on) ? on : parent;
      total += selectionCost(walk, target, fragment.selectionSet, pageSize);
      if (spread !== null) walk.expanding.delete(spread);
      continue;
    }
    const name = selection.name.value;
    if (name.startsWith('__')) continue; // introspection and __typename
    const field = parent.getFields()[name];
    if (!field) continue;
    const type = getNamedType(field.type);
    if (!isCompositeType(type) || !selection.selectionSet) continue;
    const list = isListType(getNullableType(field.type));
    const explicit = sizeArgument(field, selection, walk.variables);
    const connection = isObjectType(type) && isConnection(type);
    const count = list ? (explicit ?? (name === 'edges' && pageSize !== null ? pageSize : LIST_SIZE)) : 1;
    const childPage = connection ? (explicit ?? DEFAULT_PAGE_SIZE) : null;
    const child = isObjectType(type)
      ? selectionCost(walk, type, selection.selectionSet, childPage)
      : implementationsCost(walk, type.name, selection.selectionSet);
    total += count * (1 + child);
  }
  return total;
}

/** An abstract type (Node): the dearest of its implementations. */
function implementationsCost(walk: Walk, typeName: string, set: SelectionSetNode): number {
  const abstract = walk.schema.getType(typeName);
  if (!abstract || isObjectType(abstract) || !isCompositeType(abstract)) return 0;
  const types = walk.schema.getPossibleTypes(abstract as Parameters<GraphQLSchema['getPossibleTypes']>[0]);
  return Math.max(0, ...types.map((t) => selectionCost(walk, t, set, null)));
}

/** The operation's cost with these (coerced) variable values. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions)
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  return selectionCost(
    { schema, variables, fragments, expanding: new Set() },
    root,
    operation.selectionSet,
    null,
  );
}
