/**
 * One small function per Table API call the hub makes. Every list asks for raw values
 * (`sysparm_display_value=false`) and bare reference sys_ids (`sysparm_exclude_reference_link=true`);
 * responses are zod-parsed, errors mapped to `ConnectorError` by the kit's HTTP client.
 */
import type { AxiosInstance, AxiosResponse } from 'axios';
import type { z } from 'zod';
import {
  type ConnectorContext,
  ConnectorError,
  isConnectorError,
  parseWith,
} from '../../src/connector-kit/index.ts';
import {
  SN_INCIDENT_FIELDS,
  SN_JOURNAL_FIELDS,
  SN_USER_FIELDS,
  SnErrorBody,
  type SnIncident,
  SnIncidentList,
  SnIncidentResult,
  SnJournalList,
  SnUserList,
} from './api-types.ts';
import { authHeaders, forgetToken } from './auth.ts';
import type { ServiceNowConfig } from './config.ts';

type Ctx = ConnectorContext<ServiceNowConfig>;

export const INCIDENT_PATH = '/api/now/table/incident';
const USER_PATH = '/api/now/table/sys_user';
const JOURNAL_PATH = '/api/now/table/sys_journal_field';

const RAW_VALUES = { sysparm_display_value: 'false', sysparm_exclude_reference_link: 'true' };
const INCIDENT_FIELDS = SN_INCIDENT_FIELDS.join(',');

/**
 * Runs `fn` with the connection's client. With OAuth, a 401 drops the cached token and runs `fn`
 * once more with a fresh one (tokens can be revoked before they expire).
 */
export async function withSn<T>(ctx: Ctx, fn: (http: AxiosInstance) => Promise<T>): Promise<T> {
  const client = async () => ctx.http({ baseURL: ctx.config.instanceUrl, headers: await authHeaders(ctx) });
  try {
    return await fn(await client());
  } catch (err) {
    if (ctx.config.auth !== 'oauth' || !isConnectorError(err) || err.status !== 401) throw err;
    forgetToken(ctx);
    return fn(await client());
  }
}

export interface SnListPage<T> {
  records: T[];
  /** `X-Total-Count`: how many records the query matches in all. */
  total: number | undefined;
}

function totalOf(res: AxiosResponse): number | undefined {
  const total = Number(res.headers['x-total-count']);
  return Number.isFinite(total) ? total : undefined;
}

async function list<S extends z.ZodType>(
  http: AxiosInstance,
  path: string,
  schema: S,
  params: Record<string, string | number>,
): Promise<{ data: z.output<S>; total: number | undefined }> {
  const res = await http.get(path, { params: { ...RAW_VALUES, ...params } });
  return { data: parseWith(schema, res.data, { method: 'GET', path }), total: totalOf(res) };
}

/**
 * ServiceNow answers a write refused by a data policy or business rule with 403 "Operation
 * Failed"; the kit would call every 403 `auth` and pause the connection, so writes read the body.
 */
async function write(http: AxiosInstance, method: 'post' | 'patch', path: string, body: object) {
  const res = await http.request({
    method,
    url: path,
    data: body,
    params: { ...RAW_VALUES, sysparm_fields: INCIDENT_FIELDS },
    validateStatus: (status) => (status >= 200 && status < 300) || status === 403,
  });
  if (res.status === 403) {
    const parsed = SnErrorBody.safeParse(res.data);
    const failed = parsed.success && parsed.data.error.message === 'Operation Failed';
    const policy = failed && /data policy/i.test(parsed.data.error.detail ?? '');
    throw new ConnectorError(
      failed ? 'bad_request' : 'auth',
      policy
        ? 'ServiceNow refused the write: a data policy needs more fields'
        : failed
          ? 'ServiceNow refused the write (business rule or data policy)'
          : 'ServiceNow denied the write (ACL or missing role)',
      { method, path, status: 403 },
    );
  }
  return parseWith(SnIncidentResult, res.data, { method, path }).result;
}

// https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET
export async function listIncidents(
  http: AxiosInstance,
  params: { query: string; limit: number; offset?: number },
): Promise<SnListPage<SnIncident>> {
  const { data, total } = await list(http, INCIDENT_PATH, SnIncidentList, {
    sysparm_query: params.query,
    sysparm_limit: params.limit,
    sysparm_offset: params.offset ?? 0,
    sysparm_fields: INCIDENT_FIELDS,
  });
  return { records: data.result, total };
}

// https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET-id
export async function getIncident(http: AxiosInstance, sysId: string): Promise<SnIncident> {
  const path = `${INCIDENT_PATH}/${sysId}`;
  const res = await http.get(path, { params: { ...RAW_VALUES, sysparm_fields: INCIDENT_FIELDS } });
  return parseWith(SnIncidentResult, res.data, { method: 'GET', path }).result;
}

// https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-POST
export async function createIncident(http: AxiosInstance, body: Record<string, string>): Promise<SnIncident> {
  return write(http, 'post', INCIDENT_PATH, body);
}

// https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-PATCH
export async function patchIncident(
  http: AxiosInstance,
  sysId: string,
  body: Record<string, string>,
): Promise<SnIncident> {
  return write(http, 'patch', `${INCIDENT_PATH}/${sysId}`, body);
}

// https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET
export async function listUsers(http: AxiosInstance, query: string, limit: number) {
  const { data } = await list(http, USER_PATH, SnUserList, {
    sysparm_query: query,
    sysparm_limit: limit,
    sysparm_fields: SN_USER_FIELDS.join(','),
  });
  return data.result;
}

/**
 * Journal entries of one incident. Reading `sys_journal_field` through the Table API needs an ACL
 * the itil role may lack on hardened instances (UNCONFIRMED; see README).
 */
// https://www.servicenow.com/docs/bundle/xanadu-api-reference/page/integrate/inbound-rest/concept/c_TableAPI.html#title_table-GET
export async function listJournal(
  http: AxiosInstance,
  params: { query: string; limit: number; offset: number },
) {
  const { data, total } = await list(http, JOURNAL_PATH, SnJournalList, {
    sysparm_query: params.query,
    sysparm_limit: params.limit,
    sysparm_offset: params.offset,
    sysparm_fields: SN_JOURNAL_FIELDS.join(','),
  });
  return { records: data.result, total };
}
