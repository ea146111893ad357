/** Errors the simulator answers with, in Freshservice's shapes. */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`simulated ${status}`);
  }
}

/** 400 `Validation failed` with one entry per field, as Freshworks APIs answer. */
export function validation(field: string, message: string, code = 'invalid_value'): SimHttpError {
  return new SimHttpError(400, { description: 'Validation failed', errors: [{ field, message, code }] });
}

export const notFound = () =>
  new SimHttpError(404, { code: 'resource_not_found', message: 'Resource not found' });

export const unauthorized = () =>
  new SimHttpError(401, {
    code: 'invalid_credentials',
    message: 'You have to be logged in to perform this action.',
  });
