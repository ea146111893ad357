/**
 * The simulator's data: RT's records as plain objects, plus the fixed parts of a fresh
 * Debian RT 5.0.3 install (system users with their real ids, the General queue, the
 * HubTicketId custom field that scripts/start-rt.sh creates).
 */

export interface SimUser {
  id: number;
  name: string;
  realName: string;
  email: string;
  /** Basic auth password; users without one can only use a token. */
  password?: string;
  /** The user's Timezone preference; TicketSQL dates are read in it (else the RT-wide zone). */
  timeZone?: string;
  /** RT's SuperUser right: sees every queue, gets `Plugins` from /rt, 404 instead of 403. */
  superUser: boolean;
  /** Holds OwnTicket on the queues (only such users can be owners). */
  canOwn: boolean;
  /** Holds ReassignTicket: may move a ticket from another owner to someone else. */
  canReassign?: boolean;
}

export interface SimQueue {
  id: number;
  name: string;
  description: string;
  created: Date;
  /** Ticket custom fields applied to the queue. */
  customFieldIds: number[];
}

export interface SimCustomField {
  id: number;
  name: string;
}

export interface SimTicket {
  id: number;
  queueId: number;
  subject: string;
  status: string;
  priority: number;
  ownerId: number;
  requestorIds: number[];
  creatorId: number;
  lastUpdatedById: number;
  created: Date;
  lastUpdated: Date;
  /** Set when the ticket first leaves `new` for an active status, as RT does. */
  started: Date | null;
  /** Set when the ticket becomes inactive (resolved, rejected, deleted). */
  resolved: Date | null;
  /** Last correspondence; REST2 leaves `Told` out of the record until it is set. */
  told: Date | null;
  /** Custom field id -> values. */
  customFields: Map<number, string[]>;
}

export interface SimTransaction {
  id: number;
  ticketId: number;
  /** Create, Correspond, Comment, Status, Set, CustomField... */
  type: string;
  field: string;
  oldValue: string;
  newValue: string;
  /** RT keeps the message subject here for Correspond/Comment ("No Subject"). */
  data: string;
  creatorId: number;
  created: Date;
}

export interface SimAttachment {
  id: number;
  transactionId: number;
  contentType: string;
  content: string;
  filename: string;
  creatorId: number;
  created: Date;
}

/** RT's default lifecycle. */
export const SIM_STATUSES = ['new', 'open', 'stalled', 'resolved', 'rejected', 'deleted'] as const;
/** What a ticket may be created with (RT answers 400 for the others). */
export const SIM_CREATABLE_STATUSES = ['new', 'open', 'resolved'];
export const SIM_INACTIVE_STATUSES = ['resolved', 'rejected', 'deleted'];
/** Correspondence on a ticket in one of these reopens it (scrip "On Correspond Open Inactive Tickets"). */
export const SIM_REOPENED_BY_CORRESPOND = ['new', 'resolved', 'rejected', 'deleted'];

export const RT_SYSTEM_ID = 1;
export const NOBODY_ID = 6;
export const ROOT_ID = 14;
export const HUB_TICKET_ID_CF = 2;

export const SIM_VERSION = '5.0.3+dfsg-3~deb12u6';

/** A fresh install's users plus the ones start-rt.sh creates (ids as a real install gives them). */
export function defaultUsers(): SimUser[] {
  const system = { superUser: false, canOwn: false };
  return [
    {
      id: RT_SYSTEM_ID,
      name: 'RT_System',
      realName: 'The RT System itself',
      email: '',
      ...system,
      superUser: true,
    },
    { id: NOBODY_ID, name: 'Nobody', realName: 'Nobody in particular', email: '', ...system },
    {
      id: ROOT_ID,
      name: 'root',
      realName: 'Enoch Root',
      email: 'root@localhost',
      password: 'password',
      superUser: true,
      canOwn: true,
    },
    {
      id: 27,
      name: 'hub-alice',
      realName: 'Alice Agent',
      email: 'alice@hub.local',
      password: 'password',
      superUser: false,
      canOwn: true,
    },
    {
      id: 29,
      name: 'hub-bob',
      realName: 'Bob Agent',
      email: 'bob@hub.local',
      password: 'password',
      superUser: false,
      canOwn: true,
    },
    {
      id: 31,
      name: 'hub-sync',
      realName: 'Co-managed hub',
      email: 'hub-sync@hub.local',
      superUser: false,
      canOwn: true,
      canReassign: true,
    },
  ];
}

/** RT 5's PriorityAsString labels, as they appear in update messages. */
export function priorityLabel(priority: number): string {
  if (priority >= 100) return 'High';
  if (priority >= 50) return 'Medium';
  return 'Low';
}
