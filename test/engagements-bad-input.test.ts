/**
 * Bad input for engagements and connection scopes: each refusal names the field and says how
 * to fix it, and nothing is written (#10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/auth/tokens.ts';
import { CONNECTORS } from '../src/connectors.ts';
import { connections, engagements, parties } from '../src/db/schema/index.ts';
import { createEngagement } from '../src/domain/engagement-admin.ts';
import { createLogger } from '../src/logger.ts';
import { setUpConnections } from '../src/sync/connection-setup.ts';
import { parseConnections } from '../src/sync/connections-file.ts';
import { availableBackends } from './support/backends.ts';
import { startTestHub, type TestHub } from './support/hub.ts';

const backends = await availableBackends();

const CREATE = `mutation($input: CreateEngagementInput!) {
  createEngagement(input: $input) { engagement { slug keyPrefix internalParty { slug } mspParty { slug } } } }`;

const cw = (extra: Record<string, unknown>) => ({
  id: 'msp-connectwise',
  connector: 'connectwise',
  party: 'msp',
  settings: {
    baseUrl: 'https://api-na.myconnectwise.net/v4_6_release/apis/3.0',
    companyId: 'contoso_msp',
    publicKey: 'pub',
    privateKey: { env: 'CW_PRIVATE_KEY' },
    clientId: 'client-guid',
    board: 'Help Desk',
    company: 'Contoso',
  },
  ...extra,
});
const ENV = { CW_PRIVATE_KEY: 'k' };

describe.each(backends)('engagement bad input on %s', (backend) => {
  let hub: TestHub;
  let mspAdmin: string;
  const rowCounts = async () => ({
    engagements: (await hub.database.db.select().from(engagements)).length,
    parties: (await hub.database.db.select().from(parties)).length,
    connections: (await hub.database.db.select().from(connections)).length,
  });

  beforeAll(async () => {
    hub = await startTestHub(backend);
    mspAdmin = (
      await createApiToken(hub.database.db, { partyId: hub.partyIds.msp, role: 'ADMIN', name: 'msp admin' })
    ).token;
  });
  afterAll(async () => hub?.stop());

  it('createEngagement: every bad value is BAD_USER_INPUT naming its field, and nothing is written', async () => {
    const before = await rowCounts();
    const good = {
      slug: 'acme',
      name: 'ACME Corp',
      keyPrefix: 'ACME',
      newInternalParty: { slug: 'acme-it', name: 'ACME IT' },
    };
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...good, slug: 'ACME Corp' }, 'input.slug', /lowercase letters, digits and dashes/],
      [{ ...good, slug: 'default' }, 'input.slug', /already exists/],
      [{ ...good, keyPrefix: 'acme' }, 'input.keyPrefix', /uppercase/],
      [{ ...good, keyPrefix: 'HUB' }, 'input.keyPrefix', /already taken/],
      [{ ...good, name: '  ' }, 'input.name', /must not be empty/],
      [{ slug: 'acme', name: 'ACME', keyPrefix: 'ACME' }, 'input.internalParty', /either internalParty/],
      [
        { ...good, newInternalParty: null, internalParty: 'msp' },
        'input.internalParty',
        /not an INTERNAL party/,
      ],
      [
        { ...good, newInternalParty: null, internalParty: 'internal' },
        'input.internalParty',
        /already the internal side of "default"/,
      ],
      [
        { ...good, newInternalParty: null, internalParty: 'nobody' },
        'input.internalParty',
        /no party "nobody"/,
      ],
      [
        { ...good, newInternalParty: { slug: 'msp', name: 'x' } },
        'input.newInternalParty.slug',
        /already exists/,
      ],
      [
        { ...good, newInternalParty: { slug: 'Acme IT', name: 'x' } },
        'input.newInternalParty.slug',
        /lowercase/,
      ],
    ];
    for (const [input, field, message] of cases) {
      const res = await hub.gql(mspAdmin, CREATE, { input });
      expect(res.errors?.[0]?.extensions, JSON.stringify(input)).toMatchObject({
        code: 'BAD_USER_INPUT',
        field,
      });
      expect(res.errors?.[0]?.message).toMatch(message);
    }
    // Only an MSP's admins onboard customers.
    const internal = await hub.gql(hub.tokens.internalAdmin, CREATE, { input: good });
    expect(internal.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const agent = await hub.gql(hub.tokens.mspAgent, CREATE, { input: good });
    expect(agent.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await rowCounts()).toEqual(before);

    // The good input works, and the MSP's tokens see the new engagement at once.
    const ok = await hub.gql(mspAdmin, CREATE, { input: good });
    expect(ok.data).toEqual({
      createEngagement: {
        engagement: {
          slug: 'acme',
          keyPrefix: 'ACME',
          internalParty: { slug: 'acme-it' },
          mspParty: { slug: 'msp' },
        },
      },
    });
    const seen = await hub.gql<{ engagements: { slug: string }[] }>(
      hub.tokens.mspAgent,
      '{ engagements { slug } }',
    );
    expect(seen.data!.engagements.map((e) => e.slug).sort()).toEqual(['acme', 'default']);
  });

  it('connections: the engagement binding is checked against the hub, every problem at once, nothing stored', async () => {
    await createEngagement(hub.database.db, {
      slug: 'globex',
      name: 'Globex',
      keyPrefix: 'GLOBEX',
      newInternalParty: { slug: 'globex-it', name: 'Globex IT' },
      mspParty: 'msp',
    }).catch(() => {});
    const before = await rowCounts();
    const log = createLogger('silent');
    const setUp = (entries: Record<string, unknown>[]) =>
      setUpConnections(hub.database.db, parseConnections({ connections: entries }, CONNECTORS, ENV), log);

    await expect(
      setUp([
        cw({ engagements: { '19': 'acme', '20': 'initech' } }),
        cw({ id: 'acme-rt', party: 'acme-it', engagement: 'globex' }),
        cw({ id: 'msp-unnamed' }),
      ]),
    ).rejects.toThrow(
      new RegExp(
        [
          'connection msp-connectwise: engagements\\.20: no engagement "initech" \\(known: .*acme.*\\)',
          'connection acme-rt: engagement: party "acme-it" is not a side of engagement "globex"',
          'connection msp-unnamed: engagement: the hub has several engagements for party "msp": name one',
        ].join('[\\s\\S]*'),
      ),
    );
    expect(await rowCounts()).toEqual(before);

    // The file itself: both forms at once, or a scope without its engagement.
    expect(() =>
      parseConnections(
        { connections: [cw({ engagement: 'acme', engagements: { '19': 'acme' } })] },
        CONNECTORS,
        ENV,
      ),
    ).toThrow(/connections\[0\]\.engagements: name either "engagement".*not both/);
    expect(() => parseConnections({ connections: [cw({ scope: ['19'] })] }, CONNECTORS, ENV)).toThrow(
      /connections\[0\]\.scope: a scope needs "engagement"/,
    );
    expect(() => parseConnections({ connections: [cw({ engagements: {} })] }, CONNECTORS, ENV)).toThrow(
      /connections\[0\]\.engagements: map at least one customer key/,
    );
  });
});
