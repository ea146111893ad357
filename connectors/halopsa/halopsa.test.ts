/**
 * The shared conformance suite against the HaloPSA simulator. Halo-specific behaviour (queries,
 * tokens, mapping, webhooks, the simulator itself) is tested in the files beside this one.
 */
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import { createHaloHarness } from './harness.ts';
import { halopsa } from './index.ts';

runConformanceSuite('halopsa', halopsa, createHaloHarness, {
  exclude: {
    'a tampered body is invalid':
      'Halo signs no outbound webhook body: Basic auth or a shared header authenticates the sender only, so the hub re-fetches every hinted ticket instead of trusting the body',
  },
});
