import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../connectors.ts';
import { parseConnections } from './connections-file.ts';

const cw = (areaMap: unknown, settings: Record<string, unknown> = {}) => ({
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
    ...settings,
  },
  areaMap,
});
const env = { CW_PRIVATE_KEY: 's3cret' };

describe("a connection's area map in the connections file", () => {
  it('accepts boards the connection reads (board, boards, knownQueues) and keeps the map', () => {
    const map = {
      queues: { 'Help Desk': 'helpdesk-t1', 'Network Operations': 'network', Projects: 'erp' },
      categories: { 'Backup failure': 'backup' },
      knownQueues: ['Projects'],
    };
    const [def] = parseConnections(
      { connections: [cw(map, { boards: ['Network Operations'] })] },
      CONNECTORS,
      env,
    );
    expect(def!.areaMap).toEqual(map);
  });

  it('refuses a map to a board the connection does not know, naming the entry', () => {
    expect(() =>
      parseConnections({ connections: [cw({ queues: { Nowhere: 'network' } })] }, CONNECTORS, env),
    ).toThrow(/connections\[0\]\.areaMap\.queues\["Nowhere"\]: unknown board or queue "Nowhere"/);
  });

  it('refuses unknown keys in the map', () => {
    expect(() => parseConnections({ connections: [cw({ boards: {} })] }, CONNECTORS, env)).toThrow(
      /connections\[0\]\.areaMap/,
    );
  });
});
