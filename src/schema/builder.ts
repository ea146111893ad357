import SchemaBuilder from '@pothos/core';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { Context } from '../context.ts';
import { AppError } from '../errors.ts';
import { decodeId, encodeId } from './global-id.ts';

/** Sets up the builder only; types live one per file and are imported by index.ts. */
export const builder = new SchemaBuilder<{
  Context: Context;
  AuthScopes: { agent: boolean; admin: boolean };
  Scalars: { DateTime: { Input: Date; Output: Date } };
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  plugins: [ScopeAuthPlugin, RelayPlugin, ValidationPlugin],
  scopeAuth: {
    authScopes: (ctx) => ({
      agent: ctx.viewer.role === 'ADMIN' || ctx.viewer.role === 'AGENT',
      admin: ctx.viewer.role === 'ADMIN',
    }),
    unauthorizedError: (_parent, ctx) =>
      new AppError(
        'FORBIDDEN',
        ctx.viewer.role === 'VIEWER'
          ? 'Your token has the VIEWER role, which can read but not change anything. Ask an admin for an AGENT token.'
          : 'This needs an ADMIN token.',
      ),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeId,
    decodeGlobalID: (globalID) => decodeId(globalID),
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
  },
  validation: {
    validationError: (result) => {
      const issues = result.issues.map((i) => {
        const path = (i.path ?? []).map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.');
        return path ? `${path}: ${i.message}` : i.message;
      });
      return new AppError('BAD_USER_INPUT', `Invalid input: ${issues.join('; ')}`, {
        fields: result.issues.map((i) =>
          (i.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)).join('.'),
        ),
      });
    },
  },
});

builder.scalarType('DateTime', {
  description: 'An ISO-8601 date-time in UTC, e.g. 2026-11-22T13:38:00.000Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue: (value) => {
    const date = typeof value === 'string' ? new Date(value) : null;
    if (!date || Number.isNaN(date.getTime())) {
      throw new AppError(
        'BAD_USER_INPUT',
        `Expected an ISO-8601 date-time such as 2026-11-22T13:38:00Z, got ${JSON.stringify(value)}.`,
      );
    }
    return date;
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
