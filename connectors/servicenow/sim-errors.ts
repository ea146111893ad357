/**
 * ServiceNow-shaped error answers: `{ "error": { "message", "detail" }, "status": "failure" }`.
 * Messages are the ones the Table API sends for each case.
 */
export class SimHttpError extends Error {
  readonly body: { error: { message: string; detail: string | null }; status: 'failure' };
  constructor(
    readonly status: number,
    message: string,
    detail: string | null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.body = { error: { message, detail }, status: 'failure' };
  }
}

export const notAuthenticated = () =>
  new SimHttpError(401, 'User Not Authenticated', 'Required to provide Auth information', {
    'www-authenticate': 'BASIC realm="Service-now"',
  });

export const noRecord = () =>
  new SimHttpError(404, 'No Record found', "Record doesn't exist or ACL restricts the record retrieval");

export const invalidTable = (table: string) =>
  new SimHttpError(400, 'Invalid table', `Invalid table ${table}`);

export const notAuthorized = (detail: string) => new SimHttpError(403, 'User Not Authorized', detail);

/** A data policy refusing a write (ServiceNow answers 403 "Operation Failed" for these). */
export const dataPolicy = (labels: string[]) =>
  new SimHttpError(
    403,
    'Operation Failed',
    `Data Policy Exception: \n\tThe following fields are mandatory: ${labels.join(', ')}\n`,
  );

export const badRequest = (message: string, detail: string | null = null) =>
  new SimHttpError(400, message, detail);
