/**
 * Halo-shaped error answers. Validation errors are an object keyed by field (`[0].summary` for an
 * element of a POSTed array) whose values are messages, which is how the n8n node reads them.
 */
export class SimHaloError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated Halo error ${status}`);
  }
}

export function fieldError(index: number | null, field: string, message: string): SimHaloError {
  return new SimHaloError(400, { [index === null ? field : `[${index}].${field}`]: message });
}

/** Halo's answer to an id no record has (exact wording UNCONFIRMED). */
export function notFound(resource: string, id: number): SimHaloError {
  return new SimHaloError(404, { id: `${resource} ${id} not found.` });
}
