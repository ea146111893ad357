/**
 * Autotask-shaped error answers for the simulator: `{errors: ["message", ...]}`. Validation
 * failures are HTTP 500, as Autotask sends them (djat), not 400.
 */
export class SimAtError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0] ?? `HTTP ${status}`);
  }

  get body(): { errors: string[] } {
    return { errors: this.errors };
  }
}

export const invalid = (message: string) => new SimAtError(500, [message]);
export const badRequest = (message: string) => new SimAtError(400, [message]);
export const notFound = (message: string) => new SimAtError(404, [message]);
