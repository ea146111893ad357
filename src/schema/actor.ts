import type { Viewer } from '../auth/tokens.ts';
import type { Actor } from '../domain/ticket-store.ts';

/** A GraphQL caller as the author of a change: named by its token, never by the token itself. */
export function actorOf(viewer: Viewer): Actor {
  return {
    partyId: viewer.partyId,
    engagementIds: viewer.engagementIds,
    name: viewer.tokenName,
    source: 'API',
  };
}
