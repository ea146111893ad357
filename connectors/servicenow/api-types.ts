/**
 * Zod schemas of the ServiceNow Table API payloads the connector reads, as returned with
 * `sysparm_display_value=false` and `sysparm_exclude_reference_link=true`: every value is a
 * string, references are bare sys_ids, date-times are `YYYY-MM-DD HH:mm:ss` in UTC.
 */
import { z } from 'zod';

/** A 32-hex sys_id, the primary key of every ServiceNow record. */
export const SnSysId = z.string().regex(/^[0-9a-f]{32}$/, 'not a sys_id');

/** `YYYY-MM-DD HH:mm:ss`, UTC with no zone marker (the Table API's raw date-time). */
export const SnDateTime = z.string().regex(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'not a glide date-time');

/**
 * A reference field. With `sysparm_exclude_reference_link=true` it is the bare sys_id (or '');
 * without it, `{ link, value }`. Both are accepted so a proxy dropping the parameter still works.
 */
export const SnReference = z
  .union([z.string(), z.object({ value: z.string(), link: z.string().optional() })])
  .transform((ref) => (typeof ref === 'string' ? ref : ref.value));

/** The incident fields the connector asks for in `sysparm_fields`. */
export const SN_INCIDENT_FIELDS = [
  'sys_id',
  'number',
  'short_description',
  'description',
  'state',
  'active',
  'priority',
  'impact',
  'urgency',
  'assigned_to',
  'assignment_group',
  'company',
  'category',
  'caller_id',
  'correlation_id',
  'sys_created_on',
  'sys_updated_on',
] as const;

export const SnIncident = z.object({
  sys_id: SnSysId,
  number: z.string(),
  short_description: z.string(),
  description: z.string().default(''),
  state: z.string(),
  active: z.string().default('true'),
  priority: z.string().default(''),
  impact: z.string().default(''),
  urgency: z.string().default(''),
  assigned_to: SnReference.default(''),
  assignment_group: SnReference.default(''),
  /** The customer (`core_company` sys_id): the scope key. */
  company: SnReference.default(''),
  category: z.string().default(''),
  caller_id: SnReference.default(''),
  correlation_id: z.string().default(''),
  sys_created_on: SnDateTime,
  sys_updated_on: SnDateTime,
});
export type SnIncident = z.infer<typeof SnIncident>;

export const SnIncidentList = z.object({ result: z.array(SnIncident) });
export const SnIncidentResult = z.object({ result: SnIncident });

export const SN_USER_FIELDS = ['sys_id', 'user_name', 'name', 'email'] as const;
export const SnUser = z.object({
  sys_id: SnSysId,
  user_name: z.string().default(''),
  name: z.string().default(''),
  email: z.string().default(''),
});
export type SnUser = z.infer<typeof SnUser>;
export const SnUserList = z.object({ result: z.array(SnUser) });

/** One journal entry (`work_notes` or `comments`) on `sys_journal_field`. */
export const SN_JOURNAL_FIELDS = [
  'sys_id',
  'element',
  'element_id',
  'value',
  'sys_created_on',
  'sys_created_by',
] as const;
export const SnJournalEntry = z.object({
  sys_id: SnSysId,
  element: z.string(),
  element_id: z.string(),
  value: z.string(),
  sys_created_on: SnDateTime,
  sys_created_by: z.string().default(''),
});
export type SnJournalEntry = z.infer<typeof SnJournalEntry>;
export const SnJournalList = z.object({ result: z.array(SnJournalEntry) });

/** ServiceNow's error envelope: `{ error: { message, detail }, status: 'failure' }`. */
export const SnErrorBody = z.object({
  error: z.object({ message: z.string(), detail: z.string().nullable().optional() }),
  status: z.literal('failure'),
});
export type SnErrorBody = z.infer<typeof SnErrorBody>;

/** `POST /oauth_token.do` (password grant). */
export const SnTokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});

/**
 * What the hub's Business Rule (see README) posts: thin by design, the hub re-fetches the record.
 * `operation` is `current.operation()`: insert, update or delete.
 */
export const SnWebhookPayload = z.object({
  sys_id: SnSysId,
  table: z.string().min(1),
  operation: z.enum(['insert', 'update', 'delete']).optional(),
  sys_updated_on: z.string().optional(),
});
export type SnWebhookPayload = z.infer<typeof SnWebhookPayload>;
