import { AppError } from '../errors.ts';

/** Relay global ids: base64url of `Type:localId`. */
export function encodeId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${id}`).toString('base64url');
}

export function decodeId(globalId: string): { typename: string; id: string } {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = text.indexOf(':');
  if (sep <= 0 || sep === text.length - 1 || globalId.length > 200) {
    throw new AppError(
      'BAD_USER_INPUT',
      `"${globalId.slice(0, 60)}" is not a valid id. Use an id returned by this API.`,
    );
  }
  return { typename: text.slice(0, sep), id: text.slice(sep + 1) };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Decode an id that must name a `typename`, e.g. a Ticket id for updateTicket. */
export function parseId(globalId: string, typename: string, field = 'id'): string {
  const decoded = decodeId(globalId);
  if (decoded.typename !== typename || (typename !== 'SyncConnection' && !UUID.test(decoded.id))) {
    throw new AppError(
      'BAD_USER_INPUT',
      `${field}: expected a ${typename} id (got one for ${decoded.typename}, or a malformed one).`,
      {
        field,
      },
    );
  }
  return decoded.id;
}
