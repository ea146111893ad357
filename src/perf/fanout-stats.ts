/**
 * Process-wide counters for subscription fan-out, read by the benchmark and by tests: how
 * often a subscription's selection was executed for an event (once per group), and how many
 * subscribers the results were handed to.
 */
export const fanoutStats = {
  /** Subscription results produced by executing a group's selection once for an event. */
  executions: 0,
  /** Results handed to individual subscribers (executions x members). */
  deliveries: 0,
  /** Groups alive now. */
  groups: 0,
  reset(): void {
    this.executions = 0;
    this.deliveries = 0;
  },
};
