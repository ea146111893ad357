/**
 * Zod schemas of the Autotask REST payloads the connector reads, named with the `At` prefix.
 * Only the fields the hub uses are declared; objects are loose so new vendor fields never break
 * parsing. Shapes follow django-autotask's fixtures and @apigrate/autotask-restapi (see
 * ../shared/reference/psa-apis.md section 2). Ids are integers; picklist values are integers on
 * records but strings in entity metadata.
 */
import { z } from 'zod';

/** `GET /atservicesrest/v1.0/zoneInformation?user=`: where this user's database lives. */
export const AtZoneInformation = z.looseObject({
  zoneName: z.string().optional(),
  url: z.url(),
  webUrl: z.string().optional(),
  ci: z.number().optional(),
});
export type AtZoneInformation = z.infer<typeof AtZoneInformation>;

const nullableDate = z.string().nullish();

export const AtUdf = z.looseObject({ name: z.string(), value: z.string().nullish() });

export const AtTicket = z.looseObject({
  id: z.number().int(),
  ticketNumber: z.string().nullish(),
  title: z.string(),
  description: z.string().nullish(),
  status: z.number().int(),
  priority: z.number().int().nullish(),
  queueID: z.number().int().nullish(),
  issueType: z.number().int().nullish(),
  companyID: z.number().int(),
  contactID: z.number().int().nullish(),
  assignedResourceID: z.number().int().nullish(),
  assignedResourceRoleID: z.number().int().nullish(),
  externalID: z.string().nullish(),
  createDate: z.string(),
  lastActivityDate: z.string(),
  completedDate: nullableDate,
  // The reference is unsure whether this is an array or an object; only the array is read.
  userDefinedFields: z.union([z.array(AtUdf), z.looseObject({})]).nullish(),
});
export type AtTicket = z.infer<typeof AtTicket>;

export const AtPageDetails = z.looseObject({
  count: z.number().int(),
  requestCount: z.number().int().optional(),
  prevPageUrl: z.string().nullish(),
  nextPageUrl: z.string().nullish(),
});

/** `POST /{Entity}/query` answer: `{items, pageDetails}`. */
export function atPage<S extends z.ZodType>(item: S) {
  return z.looseObject({ items: z.array(item), pageDetails: AtPageDetails });
}

/** `GET /{Entity}/{id}`: `{item}`, null when there is no such record. */
export function atItem<S extends z.ZodType>(item: S) {
  return z.looseObject({ item: item.nullable() });
}

/** `POST` and `PATCH` answer only the id: `{itemId}`. */
export const AtItemId = z.looseObject({ itemId: z.number().int() });

/** `POST /{Entity}/query/count`. */
export const AtQueryCount = z.looseObject({ queryCount: z.number().int().min(0) });

export const AtTicketNote = z.looseObject({
  id: z.number().int(),
  ticketID: z.number().int(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  noteType: z.number().int(),
  publish: z.number().int(),
  createDateTime: z.string(),
  lastActivityDate: z.string().nullish(),
  creatorResourceID: z.number().int().nullish(),
  createdByContactID: z.number().int().nullish(),
});
export type AtTicketNote = z.infer<typeof AtTicketNote>;

export const AtResource = z.looseObject({
  id: z.number().int(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
  email: z.string().nullish(),
  userName: z.string().nullish(),
  isActive: z.boolean().optional(),
});
export type AtResource = z.infer<typeof AtResource>;

export const AtResourceServiceDeskRole = z.looseObject({
  id: z.number().int(),
  resourceID: z.number().int(),
  roleID: z.number().int(),
  isDefault: z.boolean().optional(),
  isActive: z.boolean().optional(),
});
export type AtResourceServiceDeskRole = z.infer<typeof AtResourceServiceDeskRole>;

export const AtContact = z.looseObject({
  id: z.number().int(),
  emailAddress: z.string().nullish(),
  firstName: z.string().nullish(),
  lastName: z.string().nullish(),
});

export const AtPicklistValue = z.looseObject({
  value: z.string(),
  label: z.string(),
  isActive: z.boolean().optional(),
  isSystem: z.boolean().optional(),
  isDefaultValue: z.boolean().optional(),
});
export type AtPicklistValue = z.infer<typeof AtPicklistValue>;

/** `GET /{Entity}/entityInformation/fields`. */
export const AtFieldsInfo = z.looseObject({
  fields: z.array(
    z.looseObject({
      name: z.string(),
      isPickList: z.boolean().optional(),
      picklistValues: z.array(AtPicklistValue).nullish(),
    }),
  ),
});
export type AtFieldsInfo = z.infer<typeof AtFieldsInfo>;

/** `GET /ThresholdInformation` (the call itself counts against the threshold). */
export const AtThresholdInformation = z.looseObject({
  externalRequestThreshold: z.number().int().min(1),
  /** Minutes. The simulator reports a scaled (fractional) hour so pacing runs at test speed. */
  requestThresholdTimeframe: z.number().positive(),
  currentTimeframeRequestCount: z.number().int().min(0),
});
export type AtThresholdInformation = z.infer<typeof AtThresholdInformation>;

/** `{Entity}Webhooks` record (PascalCase in the docs; read case-insensitively by the simulator). */
export const AtWebhook = z.looseObject({
  id: z.number().int(),
  webhookUrl: z.string().optional(),
  isActive: z.boolean().optional(),
});
export type AtWebhook = z.infer<typeof AtWebhook>;

/** A webhook callout's body. `Fields` holds changed and always-displayed fields. */
export const AtCallout = z.looseObject({
  Action: z.string(),
  Guid: z.string().optional(),
  EntityType: z.string(),
  Id: z.union([z.number().int(), z.string().regex(/^\d{1,12}$/)]),
  Fields: z.record(z.string(), z.unknown()).nullish(),
  EventTime: z.string().optional(),
  SequenceNumber: z.number().optional(),
  PersonID: z.number().nullish(),
});
export type AtCallout = z.infer<typeof AtCallout>;

/** Every Autotask error body: `{errors: ["message", ...]}`. */
export const AtErrorBody = z.looseObject({ errors: z.array(z.string()) });
