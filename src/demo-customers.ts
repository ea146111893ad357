/**
 * Two customers of one MSP, as `npm run demo` and test/two-customers.test.ts set them up: Contoso
 * (its IT team on Request Tracker) and Fabrikam (its IT team on Zendesk), both served from one
 * ConnectWise with a company -> engagement map, each with its own catalogue and matrix.
 */
import type { Db } from './db/client.ts';
import { createEngagement } from './domain/engagement-admin.ts';
import { createServiceArea, type RuleInput, saveRoutingRule } from './domain/routing/admin.ts';

export const CUSTOMERS = {
  contoso: {
    name: 'Contoso Ltd',
    keyPrefix: 'CON',
    party: 'contoso-it',
    partyName: 'Contoso IT',
    company: 'Contoso',
  },
  fabrikam: {
    name: 'Fabrikam Inc',
    keyPrefix: 'FAB',
    party: 'fabrikam-it',
    partyName: 'Fabrikam IT',
    company: 'Fabrikam',
  },
} as const;
export type CustomerSlug = keyof typeof CUSTOMERS;

const AREAS: [string, string][] = [
  ['helpdesk-t1', 'Helpdesk tier 1'],
  ['network', 'Network'],
  ['monitoring', 'Monitoring'],
  ['backup', 'Backup'],
];

/** The phased hand-over of the README: Contoso's tier 1 moves to the MSP on 2027-01-01. */
type SideRule = Omit<RuleInput, 'responsibleParty'> & { responsible: 'msp' | 'it' };
const MATRIX: Record<CustomerSlug, SideRule[]> = {
  contoso: [
    { serviceArea: 'helpdesk-t1', responsible: 'it', effectiveTo: '2027-01-01' },
    { serviceArea: 'helpdesk-t1', responsible: 'msp', effectiveFrom: '2027-01-01', note: 'phased hand-over' },
    { serviceArea: 'network', responsible: 'msp' },
    { serviceArea: 'monitoring', responsible: 'msp' },
    { serviceArea: 'backup', responsible: 'it' },
  ],
  fabrikam: [
    { serviceArea: 'helpdesk-t1', responsible: 'msp' },
    { serviceArea: 'network', responsible: 'it' },
    { serviceArea: 'network', responsible: 'msp', priorities: ['CRITICAL'], precedence: 10 },
    { serviceArea: 'monitoring', responsible: 'msp' },
    { serviceArea: 'backup', responsible: 'msp' },
  ],
};

/** Creates both engagements, their service areas and their matrices. */
export async function setUpCustomers(db: Db): Promise<void> {
  for (const [slug, c] of Object.entries(CUSTOMERS) as [CustomerSlug, (typeof CUSTOMERS)[CustomerSlug]][]) {
    const engagement = await createEngagement(db, {
      slug,
      name: c.name,
      keyPrefix: c.keyPrefix,
      newInternalParty: { slug: c.party, name: c.partyName },
      mspParty: 'msp',
    });
    for (const [key, name] of AREAS) await createServiceArea(db, engagement, { key, name });
    for (const { responsible, ...rule } of MATRIX[slug]) {
      const party = responsible === 'msp' ? 'msp' : c.party;
      await saveRoutingRule(db, engagement, { ...rule, responsibleParty: party, accountableParty: c.party });
    }
  }
}

/** The connections-file entries: one ConnectWise for both, one helpdesk each. */
export function customerConnections(urls: {
  cw: Record<string, unknown>;
  rtUrl: string;
  zendesk: Record<string, unknown>;
}) {
  return [
    {
      id: 'msp-connectwise',
      connector: 'connectwise',
      party: 'msp',
      engagements: { Contoso: 'contoso', Fabrikam: 'fabrikam' },
      settings: { ...urls.cw, boards: ['Network Operations'], privateKey: { env: 'CW_KEY' } },
      areaMap: {
        queues: { 'Help Desk': 'helpdesk-t1', 'Network Operations': 'network' },
        categories: { Problem: 'monitoring' },
      },
      pollIntervalSeconds: 5,
    },
    {
      id: 'contoso-rt',
      connector: 'request-tracker',
      party: 'contoso-it',
      engagement: 'contoso',
      settings: { baseUrl: urls.rtUrl, token: { env: 'RT_TOKEN' } },
      areaMap: { queues: { General: 'helpdesk-t1' } },
      pollIntervalSeconds: 3,
    },
    {
      id: 'fabrikam-zendesk',
      connector: 'zendesk',
      party: 'fabrikam-it',
      engagement: 'fabrikam',
      settings: {
        ...urls.zendesk,
        apiToken: { env: 'ZD_TOKEN' },
        webhookSigningSecret: { env: 'ZD_SECRET' },
      },
      pollIntervalSeconds: 3,
    },
  ];
}
