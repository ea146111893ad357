/**
 * Zod schemas of the ConnectWise PSA (Manage) payloads the connector reads. Only the fields
 * the hub uses are declared; objects are loose so new vendor fields never break parsing.
 * Field names and shapes follow pyconnectwise's generated models and django-connectwise's
 * fixtures (see ../shared/reference/psa-apis.md section 1).
 */
import { z } from 'zod';

const CwInfo = z.looseObject({
  lastUpdated: z.string().optional(),
  dateEntered: z.string().optional(),
  updatedBy: z.string().optional(),
});

/** `{id, name, _info}`: board, status, contact, type... */
export const CwReference = z.looseObject({ id: z.number(), name: z.string().optional() });
export type CwReference = z.infer<typeof CwReference>;

/** MemberReference: `{id, identifier, name}`. */
export const CwMemberReference = z.looseObject({
  id: z.number(),
  identifier: z.string().optional(),
  name: z.string().optional(),
});
export type CwMemberReference = z.infer<typeof CwMemberReference>;

export const CwTicket = z.looseObject({
  id: z.number(),
  summary: z.string(),
  recordType: z.string().optional(),
  board: CwReference,
  status: CwReference,
  priority: CwReference.extend({ sort: z.number().optional() }).nullish(),
  owner: CwMemberReference.nullish(),
  company: z
    .looseObject({ id: z.number(), identifier: z.string().optional(), name: z.string().optional() })
    .nullish(),
  /** The board's ticket type (`/service/boards/{id}/types`): the record's category. */
  type: CwReference.nullish(),
  contact: CwReference.nullish(),
  contactName: z.string().nullish(),
  contactEmailAddress: z.string().nullish(),
  closedFlag: z.boolean().optional(),
  externalXRef: z.string().nullish(),
  _info: CwInfo.extend({ lastUpdated: z.string(), dateEntered: z.string() }),
});
export type CwTicket = z.infer<typeof CwTicket>;
export const CwTicketList = z.array(CwTicket);

/** A ticket note (`/service/tickets/{id}/notes`). */
export const CwNote = z.looseObject({
  id: z.number(),
  ticketId: z.number().optional(),
  text: z.string().nullish(),
  detailDescriptionFlag: z.boolean().optional(),
  internalAnalysisFlag: z.boolean().optional(),
  resolutionFlag: z.boolean().optional(),
  internalFlag: z.boolean().optional(),
  externalFlag: z.boolean().optional(),
  member: CwMemberReference.nullish(),
  contact: CwReference.nullish(),
  createdBy: z.string().optional(),
  dateCreated: z.string(),
  _info: CwInfo.optional(),
});
export type CwNote = z.infer<typeof CwNote>;
export const CwNoteList = z.array(CwNote);

/** A company (`/company/companies`): a customer of the MSP, named by `identifier` in scopes. */
export const CwCompany = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  name: z.string().optional(),
});

export const CwBoard = z.looseObject({
  id: z.number(),
  name: z.string(),
  inactiveFlag: z.boolean().optional(),
});
export type CwBoard = z.infer<typeof CwBoard>;

/** Board status: statuses are per board, so status ids must be resolved on the ticket's board. */
export const CwBoardStatus = z.looseObject({
  id: z.number(),
  name: z.string(),
  closedStatus: z.boolean().optional(),
  defaultFlag: z.boolean().optional(),
  inactive: z.boolean().optional(),
  sortOrder: z.number().optional(),
});
export type CwBoardStatus = z.infer<typeof CwBoardStatus>;

export const CwPriority = z.looseObject({
  id: z.number(),
  name: z.string(),
  sortOrder: z.number().optional(),
  defaultFlag: z.boolean().optional(),
});
export type CwPriority = z.infer<typeof CwPriority>;

export const CwMember = z.looseObject({
  id: z.number(),
  identifier: z.string(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  officeEmail: z.string().nullish(),
  inactiveFlag: z.boolean().optional(),
});
export type CwMember = z.infer<typeof CwMember>;

/** `/system/callbacks` entry. `level: owner` with `objectId: 1` means every ticket. */
export const CwCallbackEntry = z.looseObject({
  id: z.number(),
  description: z.string().optional(),
  url: z.string(),
  objectId: z.number(),
  type: z.string(),
  level: z.string(),
  memberId: z.number().optional(),
  payloadVersion: z.string().optional(),
  inactiveFlag: z.boolean().optional(),
  isSoapCallbackFlag: z.boolean().optional(),
  isSelfSuppressedFlag: z.boolean().optional(),
});
export type CwCallbackEntry = z.infer<typeof CwCallbackEntry>;

/** What CW POSTs to a callback URL. `Entity` is the record as a JSON *string*. */
export const CwCallbackPayload = z.looseObject({
  Action: z.string(),
  Type: z.string(),
  ID: z.union([z.number(), z.string()]),
  CompanyId: z.union([z.number(), z.string()]).optional(),
  MemberId: z.union([z.number(), z.string()]).optional(),
  FromUrl: z.string().optional(),
  Entity: z.string().nullish(),
  Metadata: z.looseObject({ key_url: z.string() }),
});
export type CwCallbackPayload = z.infer<typeof CwCallbackPayload>;

/** Body served at `Metadata.key_url`. */
export const CwSigningKey = z.looseObject({ signing_key: z.string().min(1) });

/** Every CW error body: `{code, message, errors:[{code, message, resource, field}]}`. */
export const CwError = z.looseObject({
  code: z.string(),
  message: z.string(),
  errors: z
    .array(
      z.looseObject({
        code: z.string().optional(),
        message: z.string().optional(),
        resource: z.string().optional(),
        field: z.string().optional(),
      }),
    )
    .optional(),
});
export type CwError = z.infer<typeof CwError>;

/** One JSON Patch operation; CW's `path` is a field name, references go as `{id}`. */
export interface CwPatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

/** `/system/info`: the cheap authenticated call `check()` makes. */
export const CwSystemInfo = z.looseObject({
  version: z.string().optional(),
  isCloud: z.boolean().optional(),
});
