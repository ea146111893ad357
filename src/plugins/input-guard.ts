/**
 * Pure checks on what a client sends, before anything runs: variables nested absurdly deep
 * (graphql-js coerces them recursively and would overflow the stack) and NUL characters in any
 * string argument (Postgres rejects U+0000 in text, which surfaced as a 500). Each finding names
 * the argument (`input.title`, `filter.search`) or the variable (`$f`), so the client can fix it.
 */
import { type DocumentNode, Kind, type OperationDefinitionNode, type ValueNode, visit } from 'graphql';

/** Deeper than any input type of the schema (TicketFilter is two levels) with room to spare. */
export const MAX_VARIABLE_DEPTH = 32;

/** The first variable nested deeper than `max`, walked without recursion. */
export function findDeepVariable(
  variables: Record<string, unknown> | null | undefined,
  max = MAX_VARIABLE_DEPTH,
): string | null {
  if (!variables || typeof variables !== 'object') return null;
  for (const [name, value] of Object.entries(variables)) {
    const stack: [unknown, number][] = [[value, 1]];
    while (stack.length) {
      const [v, depth] = stack.pop()!;
      if (v === null || typeof v !== 'object') continue;
      if (depth > max) return name;
      for (const child of Object.values(v)) stack.push([child, depth + 1]);
    }
  }
  return null;
}

function nulPath(value: unknown, path: string): string | null {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length) {
    const [v, p] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return p;
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) stack.push([item, `${p}[${i}]`]);
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) stack.push([child, `${p}.${k}`]);
    }
  }
  return null;
}

function nulInValue(node: ValueNode, path: string, variables: Record<string, unknown>): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes('\u0000') ? path : null;
    case Kind.VARIABLE:
      return nulPath(variables[node.name.value], path);
    case Kind.LIST:
      for (const [i, item] of node.values.entries()) {
        const found = nulInValue(item, `${path}[${i}]`, variables);
        if (found) return found;
      }
      return null;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = nulInValue(field.value, `${path}.${field.name.value}`, variables);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/**
 * The argument path holding a NUL character (`input.title`), looking through variables to the
 * argument they feed, or `$name` for a variable no argument uses directly.
 */
export function findNulArgument(
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
): string | null {
  const vars = variables ?? {};
  let found: string | null = null;
  visit(document, {
    Argument(node) {
      found ??= nulInValue(node.value, node.name.value, vars);
    },
  });
  if (found) return found;
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  for (const definition of operation?.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const path = nulPath(vars[name], `$${name}`);
    if (path) return path;
  }
  return null;
}
