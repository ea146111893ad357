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

describe('connections file', () => {
  it('resolves secrets from env references and applies connector defaults', () => {
    const [def] = parseConnections({ connections: [cw] }, CONNECTORS, { CW_PRIVATE_KEY: 's3cret' });
    expect(def!.id).toBe('msp-connectwise');
    expect((def!.config as { privateKey: string; pageSize: number }).privateKey).toBe('s3cret');
    expect((def!.config as { pageSize: number }).pageSize).toBe(1000);
    // What may be stored or shown keeps the reference, never the value.
    expect(JSON.stringify(def!.publicSettings)).not.toContain('s3cret');
  });

  it('refuses a secret written into the file, and names the field', () => {
    const bad = { ...cw, settings: { ...cw.settings, privateKey: 'plain-text-key' } };
    expect(() => parseConnections({ connections: [bad] }, CONNECTORS, {})).toThrow(
      /connections\[0\]\.settings\.privateKey is a secret/,
    );
  });

  it('reports every problem at once, each with its path', () => {
    const broken = [
      { ...cw, id: 'Bad Id' },
      { ...cw, id: 'two', connector: 'nope' },
      {
        ...cw,
        id: 'three',
        settings: { ...cw.settings, baseUrl: 'not a url', privateKey: { env: 'MISSING_VAR' } },
      },
    ];
    try {
      parseConnections({ connections: broken }, CONNECTORS, {});
      expect.unreachable();
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toMatch(/connections\[0\]\.id/);
      expect(msg).toMatch(/connections\[1\]\.connector: unknown connector "nope"/);
      expect(msg).toMatch(
        /connections\[2\]\.settings\.privateKey: environment variable MISSING_VAR is not set/,
      );
      expect(msg).toMatch(/connections\[2\]\.settings\.baseUrl/);
    }
  });

  it('rejects duplicate ids and unknown top-level keys', () => {
    expect(() => parseConnections({ connections: [cw, cw] }, CONNECTORS, { CW_PRIVATE_KEY: 'x' })).toThrow(
      /used twice/,
    );
    expect(() =>
      parseConnections({ connections: [{ ...cw, colour: 'red' }] }, CONNECTORS, { CW_PRIVATE_KEY: 'x' }),
    ).toThrow(/colour/);
  });
});
