/**
 * The shared conformance suite against the simulator; Autotask specifics live in the other
 * `*.test.ts` files beside this one.
 */
import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import { createAutotaskHarness } from './harness.ts';
import { autotask } from './index.ts';

runConformanceSuite('autotask', autotask, createAutotaskHarness);
