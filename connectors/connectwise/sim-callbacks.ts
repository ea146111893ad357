/**
 * The simulator's callbacks (`/system/callbacks`) and their signed deliveries.
 *
 * Signing follows connectwise-rest's `verifyMessage`: key = SHA-256(signing_key), signature =
 * base64 HMAC-SHA256(key, JSON.stringify(body)), header `x-content-signature`; the key is served
 * at `Metadata.key_url`. Deliveries go out one at a time, in change order.
 */
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { toCwTimestamp } from './query.ts';
import { invalidField, notFound } from './sim-errors.ts';
import type { SimChange, SimStore } from './sim-store.ts';

export interface SimCallbackEntry {
  id: number;
  description: string;
  url: string;
  objectId: number;
  type: string;
  level: string;
  memberId: number;
  payloadVersion: string;
  inactiveFlag: boolean;
  isSoapCallbackFlag: boolean;
  isSelfSuppressedFlag: boolean;
  _info: { lastUpdated: string; updatedBy: string };
}

export interface SimDelivery {
  callbackId: number;
  url: string;
  body: Record<string, unknown>;
  signature: string;
  /** HTTP status the receiver answered, or the network error. */
  status?: number;
  error?: string;
}

export interface SimCallbackOptions {
  store: SimStore;
  origin: string;
  companyId: string;
  now: () => Date;
}

export function createSimCallbacks(options: SimCallbackOptions) {
  const signingKey = randomBytes(24).toString('base64url');
  const keyPath = `/v4_6_release/callback-keys/${randomUUID()}`;
  const keyUrl = `${options.origin}${keyPath}`;
  const hmacKey = createHash('sha256').update(signingKey).digest();
  const entries: SimCallbackEntry[] = [];
  const deliveries: SimDelivery[] = [];
  let nextId = 41;
  let chain: Promise<void> = Promise.resolve();

  const sign = (json: string) => createHmac('sha256', hmacKey).update(json).digest('base64');

  function payload(
    change: Pick<SimChange, 'action' | 'ticketId' | 'entity' | 'by'>,
  ): Record<string, unknown> {
    return {
      Action: change.action,
      Type: 'ticket',
      ID: change.ticketId,
      CompanyId: options.companyId,
      MemberId: change.by.identifier,
      FromUrl: new URL(options.origin).host,
      Entity: JSON.stringify(change.entity),
      Metadata: { key_url: keyUrl },
    };
  }

  function matches(entry: SimCallbackEntry, change: SimChange): boolean {
    if (entry.inactiveFlag || entry.type.toLowerCase() !== 'ticket') return false;
    if (entry.isSelfSuppressedFlag && entry.memberId === change.by.id) return false;
    const e = change.entity as {
      id: number;
      board: { id: number };
      status: { id: number };
      company: { id: number };
    };
    const levelObject: Record<string, number | undefined> = {
      board: e.board.id,
      status: e.status.id,
      company: e.company.id,
      ticket: e.id,
    };
    const level = entry.level.toLowerCase();
    return level === 'owner' || levelObject[level] === entry.objectId;
  }

  async function deliver(delivery: SimDelivery): Promise<void> {
    try {
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-content-signature': delivery.signature },
        body: JSON.stringify(delivery.body),
        signal: AbortSignal.timeout(5_000),
      });
      delivery.status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      delivery.error = (err as Error).message;
    }
  }

  options.store.onChange((change) => {
    if (change.skipCallback) return;
    for (const entry of entries.filter((e) => matches(e, change))) {
      const body = payload(change);
      const delivery: SimDelivery = {
        callbackId: entry.id,
        url: entry.url,
        body,
        signature: sign(JSON.stringify(body)),
      };
      deliveries.push(delivery);
      chain = chain.then(() => deliver(delivery));
    }
  });

  return {
    keyPath,
    keyUrl,
    signingKey,
    entries,
    deliveries,
    sign,
    payload,
    /** Resolves once every delivery queued so far has been answered or has failed. */
    flush: () => chain,

    create(input: Record<string, unknown>, memberId: number, updatedBy: string): SimCallbackEntry {
      const url = typeof input['url'] === 'string' ? input['url'] : '';
      if (!/^https?:\/\/[^\s]+$/i.test(url))
        throw invalidField('callbackEntry', 'url', 'InvalidField', 'url is invalid');
      for (const field of ['type', 'level'] as const) {
        if (typeof input[field] !== 'string' || input[field] === '') {
          throw invalidField('callbackEntry', field, 'NullValue', `${field} is required`);
        }
      }
      if (typeof input['objectId'] !== 'number') {
        throw invalidField('callbackEntry', 'objectId', 'NullValue', 'objectId is required');
      }
      const entry: SimCallbackEntry = {
        id: nextId++,
        description: String(input['description'] ?? '').slice(0, 100),
        url,
        objectId: input['objectId'],
        type: String(input['type']),
        level: String(input['level']),
        memberId,
        payloadVersion: String(input['payloadVersion'] ?? '2020.1'),
        inactiveFlag: input['inactiveFlag'] === true,
        isSoapCallbackFlag: false,
        isSelfSuppressedFlag: input['isSelfSuppressedFlag'] === true,
        _info: { lastUpdated: toCwTimestamp(options.now()), updatedBy },
      };
      entries.push(entry);
      return entry;
    },

    find(id: number): SimCallbackEntry {
      const entry = entries.find((e) => e.id === id);
      if (!entry) throw notFound('CallbackEntry', id);
      return entry;
    },

    remove(id: number): void {
      const index = entries.findIndex((e) => e.id === id);
      if (index < 0) throw notFound('CallbackEntry', id);
      entries.splice(index, 1);
    },
  };
}

export type SimCallbacks = ReturnType<typeof createSimCallbacks>;
