/** Errors the simulator answers with, in Zendesk's shapes. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated ${status}`);
  }
}

export const notFound = () => new SimHttpError(404, { error: 'RecordNotFound', description: 'Not found' });

/** 422 `RecordInvalid` with per-field details, as Zendesk answers validation failures. */
export function recordInvalid(field: string, description: string, error = 'InvalidValue'): SimHttpError {
  return new SimHttpError(422, {
    error: 'RecordInvalid',
    description: 'Record validation errors',
    details: { [field]: [{ description, error }] },
  });
}

export const badRequest = (description: string, error = 'InvalidValue') =>
  new SimHttpError(400, { error, description });
