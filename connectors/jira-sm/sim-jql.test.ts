/**
 * The simulator's JQL subset over HTTP: bounded queries, Jira's errors, quoted dates read in the
 * querying user's zone at minute precision, epoch milliseconds, and the correlation label clause.
 */
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jiraAuthorization } from './config.ts';
import { formatJqlDate } from './sim-time.ts';
import { createJiraSimulator, type JiraSimulator } from './simulator.ts';

let sim: JiraSimulator;
let api: AxiosInstance;

beforeAll(async () => {
  sim = await createJiraSimulator({ clock: new Date('2025-03-04T06:00:00.000Z') });
  api = axios.create({
    baseURL: sim.url,
    headers: { authorization: jiraAuthorization(sim.connectorConfig()) },
    validateStatus: () => true,
  });
});
afterAll(() => sim.close());

const search = (jql: string) =>
  api.post('/rest/api/3/search/jql', { jql, fields: ['summary', 'updated', 'labels'], maxResults: 50 });

describe('JQL', () => {
  it('refuses unbounded queries and unknown fields with 400 errorMessages', async () => {
    const unbounded = await search('ORDER BY updated ASC');
    expect(unbounded.status).toBe(400);
    expect(unbounded.data.errorMessages[0]).toMatch(/Unbounded JQL/);
    const unknown = await search('projekt = ITS');
    expect([unknown.status, unknown.data.errorMessages[0]]).toEqual([
      400,
      "Field 'projekt' does not exist or you do not have permission to view it.",
    ]);
    expect((await search('project = ITS AND (summary ~ "x"')).status).toBe(400);
  });

  it('reads quoted dates in the user zone at minute precision; epoch ms is exact', async () => {
    sim.setClock(new Date('2025-06-01T03:04:30.250Z'));
    const issue = sim.createIssue({ summary: 'zone probe' });
    const zone = sim.apiUser.timeZone;
    const minute = formatJqlDate(issue.updated, zone);
    expect(minute).toBe('2025/06/01 13:04');
    const ids = async (jql: string) =>
      (await search(`key = ${issue.key} AND ${jql}`)).data.issues.map((i: { key: string }) => i.key);
    expect(await ids(`updated >= "${minute}"`)).toEqual([issue.key]);
    // The 30 seconds inside the minute are invisible to a quoted date: both sides of the minute start.
    expect(await ids(`updated < "${minute}"`)).toEqual([]);
    // A UTC literal ("03:04") read in Sydney is ten hours off: the classic cursor bug.
    expect(await ids('updated >= "2025/06/01 03:05"')).toEqual([issue.key]);
    expect(await ids('updated <= "2025/06/01 12:00"')).toEqual([]);
    expect(await ids(`updated >= ${issue.updated}`)).toEqual([issue.key]);
    expect(await ids(`updated >= ${issue.updated + 1}`)).toEqual([]);
    expect(await ids('updated >= "2025-06-01"')).toEqual([issue.key]);
    const bad = await search('updated >= "yesterday"');
    expect(bad.data.errorMessages[0]).toMatch(/Date value 'yesterday' for field 'updated' is invalid/);
  });

  it('matches the correlation label exactly, with AND, OR, NOT and IN', async () => {
    const a = sim.createIssue({ summary: 'label a', hubTicketId: 'aaaa-1' });
    const b = sim.createIssue({ summary: 'label b', hubTicketId: 'aaaa-10' });
    const keys = async (jql: string) =>
      (await search(jql)).data.issues.map((i: { key: string }) => i.key).sort();
    expect(await keys('project = "ITS" AND labels = "hub-aaaa-1"')).toEqual([a.key]);
    expect(await keys('labels in ("hub-aaaa-1", "hub-aaaa-10") ORDER BY created ASC')).toEqual(
      [a.key, b.key].sort(),
    );
    expect(await keys(`labels = "hub-aaaa-10" OR (key = ${a.key} AND NOT status = Closed)`)).toEqual(
      [a.key, b.key].sort(),
    );
    expect(await keys('labels = "HUB-AAAA-1"')).toEqual([]);
  });
});
