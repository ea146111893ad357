/**
 * The simulated Jira site's fixed shape: users, the JSM project, its workflow and priorities.
 * Ids and names follow a fresh JSM "IT service management" project on Jira Cloud.
 */
import type { JiraAdfNode } from './api-types.ts';

export interface SimUser {
  accountId: string;
  displayName: string;
  email: string;
  /** The zone Jira reads this user's quoted JQL dates in and renders their timestamps in. */
  timeZone: string;
  /** `atlassian` (licensed agent or admin) or `customer` (portal-only JSM customer). */
  accountType: 'atlassian' | 'customer' | 'app';
  /** API tokens that authenticate as this user (Basic `email:token`). */
  tokens: string[];
  assignable: boolean;
}

export interface SimStatus {
  id: string;
  name: string;
  category: 'new' | 'indeterminate' | 'done';
}

export interface SimIssue {
  id: number;
  key: string;
  summary: string;
  description: JiraAdfNode | null;
  statusId: string;
  priority: string;
  assigneeId: string | null;
  reporterId: string;
  labels: string[];
  issueType: string;
  /** The service project (one per customer in an MSP's co-managed set-up). */
  projectKey: string;
  created: number;
  updated: number;
}

export interface SimComment {
  id: number;
  issueId: number;
  authorId: string;
  body: JiraAdfNode;
  /** JSM's `jsdPublic`: shared with the customer (true) or an internal note (false). */
  isPublic: boolean;
  created: number;
  updated: number;
}

export const SIM_PROJECT = { id: '10000', key: 'ITS', name: 'IT Support', projectTypeKey: 'service_desk' };
/** Every service project on the site: `ITS` (the default) and a second customer's desk. */
export const SIM_PROJECTS = [
  SIM_PROJECT,
  { id: '10001', key: 'GLX', name: 'Globex Support', projectTypeKey: 'service_desk' },
];

/** A project by key (any case) or id. */
export function findSimProject(keyOrId: unknown) {
  const wanted = typeof keyOrId === 'string' ? keyOrId.toUpperCase() : undefined;
  return SIM_PROJECTS.find((p) => p.key === wanted || p.id === keyOrId);
}
export const SIM_ISSUE_TYPES = [
  { id: '10010', name: 'Service Request' },
  { id: '10011', name: 'Incident' },
  { id: '10012', name: 'Task' },
];

export const SIM_STATUSES: SimStatus[] = [
  { id: '10001', name: 'Waiting for support', category: 'new' },
  { id: '10002', name: 'Open', category: 'new' },
  { id: '3', name: 'In Progress', category: 'indeterminate' },
  { id: '10003', name: 'Waiting for customer', category: 'indeterminate' },
  { id: '10004', name: 'Pending', category: 'indeterminate' },
  { id: '10005', name: 'Resolved', category: 'done' },
  { id: '6', name: 'Closed', category: 'done' },
  { id: '10006', name: 'Canceled', category: 'done' },
];
export const INITIAL_STATUS_ID = '10001';
const CLOSED_ID = '6';

export interface SimTransition {
  id: string;
  name: string;
  toId: string;
}

/**
 * Like JSM's default workflow with "allow all statuses to transition here": every status can go
 * to every other one, except Closed, which only offers "Reopen" (to Open). That exception keeps
 * the "no such transition" path honest.
 */
export function transitionsFrom(statusId: string): SimTransition[] {
  if (statusId === CLOSED_ID) return [{ id: '91', name: 'Reopen', toId: '10002' }];
  return SIM_STATUSES.filter((s) => s.id !== statusId).map((s) => ({
    id: String(11 + 10 * SIM_STATUSES.indexOf(s)),
    name: s.category === 'done' ? `Mark as ${s.name.toLowerCase()}` : s.name,
    toId: s.id,
  }));
}

export const SIM_PRIORITIES = [
  { id: '1', name: 'Highest' },
  { id: '2', name: 'High' },
  { id: '3', name: 'Medium' },
  { id: '4', name: 'Low' },
  { id: '5', name: 'Lowest' },
];

export const API_USER_EMAIL = 'hub-sync@contoso-it.example';

export function defaultUsers(): SimUser[] {
  return [
    {
      accountId: '712020:5b3f1c9e-9d1a-4c55-8e0b-1f2a3b4c5d6e',
      displayName: 'Hub Sync',
      email: API_USER_EMAIL,
      // Deliberately not UTC: a connector that sends UTC literals misses changes here.
      timeZone: 'Australia/Sydney',
      accountType: 'atlassian',
      tokens: ['ATATT3xFfGF0simulatedHubSyncToken0001'],
      assignable: true,
    },
    {
      accountId: '5b10a2844c20165700ede21g',
      displayName: 'Alice Agent',
      email: 'alice@contoso-it.example',
      timeZone: 'Europe/Berlin',
      accountType: 'atlassian',
      tokens: [],
      assignable: true,
    },
    {
      accountId: '5b10ac8d82e05b22cc7d4ef5',
      displayName: 'Bob Agent',
      email: 'bob@contoso-it.example',
      timeZone: 'America/New_York',
      accountType: 'atlassian',
      tokens: [],
      assignable: true,
    },
    {
      accountId: 'qm:0a1b2c3d-4e5f-6789-abcd-ef0123456789:carol',
      displayName: 'Carol Customer',
      email: 'carol@customer.example',
      timeZone: 'UTC',
      accountType: 'customer',
      tokens: [],
      assignable: false,
    },
  ];
}
