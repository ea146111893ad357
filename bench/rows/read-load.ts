/**
 * Child process: drives HTTP load with autocannon at one target and reports throughput and
 * latency percentiles over IPC. Kept out of the measured process so the load generator does
 * not steal the event loop it is measuring.
 */
import autocannon from 'autocannon';

const [url, token, body, seconds, connections] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];

const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  duration: Number(seconds),
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  body,
});
const non2xx = result.non2xx + result.errors + result.timeouts;
process.send?.({
  type: 'result',
  rps: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx,
});
process.disconnect?.();
