import { Writable } from 'node:stream';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { withMaskedErrors } from './mask-request-errors.ts';

const schema = createSchema({ typeDefs: 'type Query { ok: Boolean }' });

describe('withMaskedErrors', () => {
  it('answers a failing plugin with a bare JSON 500 and logs it without statement parameters', async () => {
    const lines: string[] = [];
    const log = createLogger(
      'info',
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const failing: Plugin = {
      onRequest() {
        throw new Error('Failed query: select * from api_tokens where token_hash = $1\nparams: 5f3c0ffee');
      },
    };
    const yoga = createYoga({ schema, plugins: [withMaskedErrors(failing, log)], logging: false });
    const res = await yoga.fetch('http://hub/webhooks/x', { method: 'POST', body: '{}' });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(lines.join('')).toContain('request failed');
    expect(lines.join('')).not.toContain('5f3c0ffee');
  });

  it('leaves a plugin without onRequest as it is', () => {
    const plain: Plugin = {};
    expect(withMaskedErrors(plain, createLogger('silent'))).toBe(plain);
  });
});
