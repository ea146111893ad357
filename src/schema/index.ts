import { builder } from './builder.ts';
import './enums.ts';
import './party.ts';
import './engagement.ts';
import './person.ts';
import './viewer.ts';
import './ticket.ts';
import './ticket-link.ts';
import './ticket-query.ts';
import './ticket-mutations.ts';
import './comment.ts';
import './event.ts';
import './event-ticket.ts';
import './event-feed.ts';
import './subscription.ts';
import './subscription-removed.ts';
import './sync-connection.ts';
import './routing-types.ts';
import './routing-query.ts';
import './routing-mutations.ts';
import './commitment-types.ts';
import './commitment-admin.ts';

/** The whole schema: every type file registers itself on the builder above. */
export const schema = builder.toSchema({ sortSchema: true });
