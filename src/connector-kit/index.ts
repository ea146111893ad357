/**
 * Everything a connector may import. Connectors import from here (or the files it re-exports);
 * the conformance suite and the in-memory reference connector are test-only and imported directly
 * from `conformance.ts` and `testing/`, so production code never loads vitest.
 */
export { computeBackoffMs, parseRetryAfter, sleep } from './backoff.ts';
export {
  type CreateConnectorContextOptions,
  createConnectorContext,
  type MappingOverrides,
  mergeMappings,
  silentLogger,
} from './context.ts';
export {
  type ChangeHint,
  type CheckResult,
  type Connector,
  type ConnectorContext,
  type ConnectorLogger,
  defineConnector,
  type HttpClientOptions,
  type HttpFactory,
  type Mappings,
  type Page,
  type PriorityMap,
  type StatusMap,
  type UpdatableFields,
  type WebhookRequest,
  type WebhookSupport,
  type WebhookVerdict,
} from './contract.ts';
export {
  ConnectorError,
  type ConnectorErrorDetails,
  type ConnectorErrorKind,
  isConnectorError,
} from './errors.ts';
export type { ConnectorHarness, HarnessCapabilities, HarnessFactory, HarnessScope } from './harness.ts';
export { type CreateHttpClientOptions, createHttpClient, createHttpFactory, parseWith } from './http.ts';
export * from './records.ts';
export { inScope, resolveCreateScope, scopeIsEmpty } from './scope.ts';
export {
  getHeader,
  type HmacAlgorithm,
  hmac,
  type SignatureEncoding,
  safeEqual,
  type VerifyHmacOptions,
  verifyHmac,
  withinReplayWindow,
} from './signatures.ts';
