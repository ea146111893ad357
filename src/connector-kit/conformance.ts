/**
 * The shared conformance suite, run by every connector against its simulator (and, env-gated,
 * against a real tenant), like drizzle's one suite per driver:
 *
 *   runConformanceSuite('connectwise', connectwise, () => createConnectwiseHarness());
 *
 * This file is only the vitest wrapper; the checks are plain functions in `conformance/`, so they
 * can also be called directly. Test-only: connectors import it from tests, never from `index.ts`.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CONFORMANCE_GROUPS } from './conformance/catalog.ts';
import { type CheckTarget, ConformanceSkip, createCheckTarget } from './conformance/support.ts';
import type { Connector } from './contract.ts';
import type { ConnectorHarness, HarnessFactory } from './harness.ts';

export { type CheckDefinition, type CheckGroup, CONFORMANCE_GROUPS } from './conformance/catalog.ts';
export {
  type Check,
  type CheckTarget,
  ConformanceFailure,
  ConformanceSkip,
  createCheckTarget,
} from './conformance/support.ts';

export interface ConformanceSuiteOptions {
  /** Check names to leave out, each with the reason printed in the report (e.g. a vendor limitation). */
  exclude?: Record<string, string>;
}

export function runConformanceSuite<C>(
  name: string,
  connector: Connector<C>,
  makeHarness: HarnessFactory<C>,
  options: ConformanceSuiteOptions = {},
): void {
  const note = (message: string) => console.info(`[conformance] ${name}: ${message}`);
  for (const group of CONFORMANCE_GROUPS) {
    describe(`${name} conformance: ${group.title}`, () => {
      let harness: ConnectorHarness<C> | undefined;
      let target: CheckTarget<C> | undefined;
      beforeAll(async () => {
        harness = await makeHarness();
        target = createCheckTarget(connector, harness, note);
      });
      afterAll(async () => {
        await harness?.close();
      });
      for (const check of group.checks) {
        it(check.name, async (context) => {
          const excluded = options.exclude?.[check.name];
          if (excluded !== undefined) {
            note(`excluded "${check.name}": ${excluded}`);
            context.skip(excluded);
          }
          if (!target) throw new Error('the harness did not start; see the error from beforeAll');
          try {
            await check.run(target);
          } catch (err) {
            if (!(err instanceof ConformanceSkip)) throw err;
            note(`skipped "${check.name}": ${err.message}`);
            context.skip(err.message);
          }
        });
      }
    });
  }
}
