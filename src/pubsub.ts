import { createPubSub } from 'graphql-yoga';
import type { TicketEventRow, TicketRow } from './db/schema/index.ts';

/** A committed event with the ticket as it stood when the event was dispatched. */
export interface DispatchedEvent {
  event: TicketEventRow;
  ticket: TicketRow;
}

/**
 * The subscription contract: one topic, fed only by the dispatcher after commit. Every
 * subscriber filters it by visibility; the payload is loaded once, not per subscriber.
 */
export type TopicMap = {
  ticketEvent: [DispatchedEvent];
};

export interface PubSub {
  publish(topic: 'ticketEvent', event: DispatchedEvent): void;
  subscribe(topic: 'ticketEvent'): AsyncIterableIterator<DispatchedEvent>;
  /** Live subscriptions in this process (for readiness checks, metrics and tests). */
  activeSubscriptions(): number;
  /**
   * Counts one more live subscriber that shares another's pub/sub subscription (grouped
   * fan-out in ws.ts); returns the release.
   */
  hold(): () => void;
}

export function createHubPubSub(): PubSub {
  const inner = createPubSub<TopicMap>();
  let active = 0;
  return {
    publish: (topic, event) => inner.publish(topic, event),
    subscribe(topic) {
      const source = inner.subscribe(topic);
      active++;
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          active--;
        }
      };
      return {
        next: () => source.next(),
        return: (value?: unknown) => {
          finish();
          return source.return ? source.return(value) : Promise.resolve({ done: true, value: undefined });
        },
        throw: (err?: unknown) => {
          finish();
          return source.throw ? source.throw(err) : Promise.reject(err);
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      } as AsyncIterableIterator<DispatchedEvent>;
    },
    activeSubscriptions: () => active,
    hold() {
      active++;
      let released = false;
      return () => {
        if (!released) {
          released = true;
          active--;
        }
      };
    },
  };
}
