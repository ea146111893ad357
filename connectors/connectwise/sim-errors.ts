/**
 * CW-shaped error answers for the simulator: `{code, message, errors:[{code, message, resource, field}]}`.
 */
export class SimHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: string; message: string; errors?: unknown[] },
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

export function notFound(resource: string, id: number | string): SimHttpError {
  return new SimHttpError(404, {
    code: 'NotFound',
    message: `${resource} recid ${id} not found.`,
  });
}

/** A validation failure on one field, as CW reports object errors (exact wording UNCONFIRMED). */
export function invalidField(resource: string, field: string, code: string, message: string): SimHttpError {
  return new SimHttpError(400, {
    code: 'InvalidObject',
    message: `${resource} object is invalid`,
    errors: [{ code, message, resource, field }],
  });
}

export function badRequest(message: string): SimHttpError {
  return new SimHttpError(400, { code: 'InvalidObject', message });
}
