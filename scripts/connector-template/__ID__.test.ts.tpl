import { runConformanceSuite } from '../../src/connector-kit/conformance.ts';
import { create__PASCAL__Harness } from './harness.ts';
import { __CAMEL__ } from './index.ts';

// Every check fails until the connector and its simulator are implemented; each failure names
// what to do next. Add mapping, webhook and simulator tests of your own beside this one.
runConformanceSuite('__ID__', __CAMEL__, create__PASCAL__Harness);
