/**
 * Recorded-shape fixtures parse with the connector's schemas and map as expected, and the
 * simulator's answers carry the same keys, so the simulator stays honest to the payloads.
 */
import { readFileSync } from 'node:fs';
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { mergeMappings } from '../../src/connector-kit/index.ts';
import {
  AtCallout,
  AtErrorBody,
  AtFieldsInfo,
  AtThresholdInformation,
  AtTicket,
  AtTicketNote,
  AtZoneInformation,
  atItem,
  atPage,
} from './api-types.ts';
import { autotaskDefaultMappings, toCommentRecord, toTicketRecord } from './mapping.ts';
import { createAutotaskSimulator } from './simulator.ts';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('fixtures', () => {
  it('parse with the connector schemas', () => {
    expect(AtZoneInformation.parse(fixture('zone-information.json')).url).toMatch(/ATServicesRest\/$/);
    expect(atPage(AtTicket).parse(fixture('tickets-query-page.json')).pageDetails.nextPageUrl).toMatch(
      /query\/next/,
    );
    expect(AtThresholdInformation.parse(fixture('threshold-information.json')).externalRequestThreshold).toBe(
      10_000,
    );
    expect(AtErrorBody.parse(fixture('error-validation.json')).errors).toHaveLength(1);
    expect(AtCallout.parse(fixture('ticket-callout.json')).Id).toBe(7012);
  });

  it('map as expected', () => {
    const item = atItem(AtTicket).parse(fixture('ticket-item.json')).item!;
    const info = AtFieldsInfo.parse(fixture('ticket-status-field.json'));
    const values = info.fields[0]!.picklistValues ?? [];
    const status = { byValue: new Map(values.map((v) => [Number(v.value), v.label])), byLabel: new Map() };
    const empty = { byValue: new Map(), byLabel: new Map() };
    const record = toTicketRecord(item, {
      maps: mergeMappings(autotaskDefaultMappings),
      picklists: { status, priority: empty, queueID: empty, issueType: empty },
      webUrl: 'https://ww5.autotask.net/',
    });
    expect(record).toMatchObject({
      status: 'IN_PROGRESS',
      correlationId: '6f1c2b7e-2d1a-4c55-9a0e-0c9d1f3b2a10',
    });
    const notes = atPage(AtTicketNote)
      .parse(fixture('ticket-notes-query-page.json'))
      .items.map((n) => toCommentRecord(n));
    expect(notes.map((n) => [n.visibility, n.fromHub])).toEqual([
      ['PUBLIC', true],
      ['INTERNAL', false],
    ]);
  });

  it('have the same keys as the simulator answers', async () => {
    const sim = await createAutotaskSimulator();
    try {
      const headers = {
        ApiIntegrationCode: sim.credentials.integrationCode,
        UserName: sim.credentials.username,
        Secret: sim.credentials.secret,
      };
      const id = sim.createTicket({ title: 'keys' });
      const item = (await axios.get(`${sim.apiBase()}/Tickets/${id}`, { headers })).data.item as Record<
        string,
        unknown
      >;
      const recorded = (fixture('ticket-item.json') as { item: Record<string, unknown> }).item;
      const simulated = [
        'id',
        'ticketNumber',
        'title',
        'status',
        'priority',
        'queueID',
        'companyID',
        'assignedResourceID',
        'externalID',
        'createDate',
        'lastActivityDate',
        'userDefinedFields',
      ];
      for (const key of simulated) {
        expect(Object.keys(recorded)).toContain(key);
        expect(Object.keys(item)).toContain(key);
      }
      const info = (await axios.get(`${sim.apiBase()}/ThresholdInformation`, { headers })).data as Record<
        string,
        unknown
      >;
      expect(Object.keys(info).sort()).toEqual(
        Object.keys(fixture('threshold-information.json') as object).sort(),
      );
    } finally {
      await sim.close();
    }
  });
});
