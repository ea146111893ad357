import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../connectors.ts';
import { parseConnections } from './connections-file.ts';

const cw = {
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
};
const env = { CW_PRIVATE_KEY: 's3cret' };

function problems(raw: unknown, options?: Parameters<typeof parseConnections>[4]): string {
  try {
    parseConnections(raw, CONNECTORS, env, 'connections', options);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the connections to be refused');
}

/** Issue #14: a typo in a setting must be an error, and every problem must come in one round. */
describe('connections file: strict settings, one round', () => {
  it('refuses an unknown setting, naming it and the setting it probably meant', () => {
    const msg = problems({ connections: [{ ...cw, settings: { ...cw.settings, pagesize: 50 } }] });
    expect(msg).toMatch(/connections\[0\]\.settings\.pagesize: unknown setting of connector "connectwise"/);
    expect(msg).toMatch(/did you mean "pageSize"/);
  });

  it('accepts every setting the connector declares', () => {
    const [def] = parseConnections(
      { connections: [{ ...cw, settings: { ...cw.settings, pageSize: 50, overlapSeconds: 30 } }] },
      CONNECTORS,
      env,
    );
    expect((def!.config as { pageSize: number }).pageSize).toBe(50);
  });

  it('reports entry, settings and party problems together', () => {
    const msg = problems(
      {
        connections: [
          {
            ...cw,
            party: 'mps',
            pollIntervalSeconds: 0,
            settings: { ...cw.settings, baseUrl: 'not a url', boardd: 'x', clientId: { env: 'NOT_SET' } },
          },
        ],
      },
      { parties: ['internal', 'msp'] },
    );
    expect(msg).toMatch(/connections\[0\]\.pollIntervalSeconds/);
    expect(msg).toMatch(/connections\[0\]\.settings\.baseUrl/);
    expect(msg).toMatch(/connections\[0\]\.settings\.boardd: unknown setting/);
    expect(msg).toMatch(/connections\[0\]\.settings\.clientId: environment variable NOT_SET is not set/);
    expect(msg).toMatch(/connections\[0\]\.party: no party "mps" \(known: internal, msp\)/);
  });
});
