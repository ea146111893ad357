/**
 * The simulated instance's tables: their fields, reference fields, choice labels and the demo
 * users (names from ServiceNow's own demo data). Everything is stored as strings, as the Table API
 * returns it with `sysparm_display_value=false`.
 */

export type SimRecord = Record<string, string>;

export interface SimTable {
  name: string;
  fields: readonly string[];
  /** Reference field -> the table it points at. */
  references: Record<string, string>;
  /** Choice field -> value -> label (for `sysparm_display_value=true|all`). */
  choices: Record<string, Record<string, string>>;
  /** Journal fields: writing appends to sys_journal_field; reading returns ''. */
  journals: readonly string[];
  /** The field shown as a reference's display value. */
  displayField: string;
}

const SYSTEM_FIELDS = [
  'sys_id',
  'sys_created_on',
  'sys_created_by',
  'sys_updated_on',
  'sys_updated_by',
  'sys_mod_count',
];

const IMPACT = { '1': '1 - High', '2': '2 - Medium', '3': '3 - Low' };

export const INCIDENT_TABLE: SimTable = {
  name: 'incident',
  fields: [
    ...SYSTEM_FIELDS,
    'number',
    'short_description',
    'description',
    'state',
    'incident_state',
    'active',
    'priority',
    'impact',
    'urgency',
    'assigned_to',
    'assignment_group',
    'company',
    'caller_id',
    'opened_by',
    'opened_at',
    'correlation_id',
    'correlation_display',
    'hold_reason',
    'close_code',
    'close_notes',
    'resolved_at',
    'resolved_by',
    'closed_at',
    'category',
    'comments',
    'work_notes',
  ],
  references: {
    assigned_to: 'sys_user',
    caller_id: 'sys_user',
    opened_by: 'sys_user',
    resolved_by: 'sys_user',
    assignment_group: 'sys_user_group',
    company: 'core_company',
  },
  choices: {
    state: {
      '1': 'New',
      '2': 'In Progress',
      '3': 'On Hold',
      '6': 'Resolved',
      '7': 'Closed',
      '8': 'Canceled',
    },
    priority: {
      '1': '1 - Critical',
      '2': '2 - High',
      '3': '3 - Moderate',
      '4': '4 - Low',
      '5': '5 - Planning',
    },
    impact: IMPACT,
    urgency: IMPACT,
    hold_reason: {
      '1': 'Awaiting Caller',
      '3': 'Awaiting Problem',
      '4': 'Awaiting Vendor',
      '5': 'Awaiting Change',
    },
  },
  journals: ['comments', 'work_notes'],
  displayField: 'number',
};

export const USER_TABLE: SimTable = {
  name: 'sys_user',
  fields: [...SYSTEM_FIELDS, 'user_name', 'name', 'first_name', 'last_name', 'email', 'active', 'title'],
  references: {},
  choices: {},
  journals: [],
  displayField: 'name',
};

export const GROUP_TABLE: SimTable = {
  name: 'sys_user_group',
  fields: [...SYSTEM_FIELDS, 'name', 'description', 'active', 'email'],
  references: {},
  choices: {},
  journals: [],
  displayField: 'name',
};

/** Customers (`core_company`): what tells an MSP's customers apart on one instance. */
export const COMPANY_TABLE: SimTable = {
  name: 'core_company',
  fields: [...SYSTEM_FIELDS, 'name', 'customer'],
  references: {},
  choices: {},
  journals: [],
  displayField: 'name',
};

export const JOURNAL_TABLE: SimTable = {
  name: 'sys_journal_field',
  fields: [...SYSTEM_FIELDS, 'element', 'element_id', 'name', 'value'],
  references: {},
  choices: {},
  journals: [],
  displayField: 'value',
};

export const SIM_TABLES: Record<string, SimTable> = Object.fromEntries(
  [INCIDENT_TABLE, USER_TABLE, GROUP_TABLE, COMPANY_TABLE, JOURNAL_TABLE].map((t) => [t.name, t]),
);

/** Priority from impact and urgency: the default Priority Lookup Rules (data lookup). */
export function priorityFor(impact: string, urgency: string): string | undefined {
  const i = Number(impact);
  const u = Number(urgency);
  if (![1, 2, 3].includes(i) || ![1, 2, 3].includes(u)) return undefined;
  return String(Math.min(5, i + u - 1));
}

export interface SimUserSeed {
  user_name: string;
  first_name: string;
  last_name: string;
  email: string;
}

/** The integration user first; then agents (assignable) and a caller. */
export const SEED_USERS: SimUserSeed[] = [
  {
    user_name: 'hub.integration',
    first_name: 'Hub',
    last_name: 'Integration',
    email: 'hub.integration@example.com',
  },
  { user_name: 'beth.anglin', first_name: 'Beth', last_name: 'Anglin', email: 'beth.anglin@example.com' },
  { user_name: 'david.loo', first_name: 'David', last_name: 'Loo', email: 'david.loo@example.com' },
  { user_name: 'abel.tuter', first_name: 'Abel', last_name: 'Tuter', email: 'abel.tuter@example.com' },
];

export const SEED_GROUP = { name: 'Service Desk', email: 'servicedesk@example.com' };

/** Two customer companies with fixed sys_ids, so tests and the demo can name them. */
export const SEED_COMPANIES = [
  { sys_id: 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c001', name: 'Contoso Ltd' },
  { sys_id: 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c002', name: 'Globex Corp' },
] as const;
