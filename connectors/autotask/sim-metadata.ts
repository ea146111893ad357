/**
 * `GET /{Entity}/entityInformation/fields` for the entities the hub reads metadata of. Picklist
 * values arrive as strings, as Autotask sends them (djat converts with `int()`).
 */
import { SimAtError } from './sim-errors.ts';
import {
  ISSUE_TYPE_VALUES,
  NOTE_TYPE_VALUES,
  PRIORITY_VALUES,
  PUBLISH_VALUES,
  QUEUE_VALUES,
  type SimPicklistValue,
  STATUS_VALUES,
  WEBHOOK_FIELDS,
} from './sim-seed.ts';

function field(name: string, dataType: string, values?: SimPicklistValue[]) {
  return {
    name,
    dataType,
    length: dataType === 'string' ? 255 : 0,
    isRequired: ['title', 'status', 'priority', 'companyID'].includes(name),
    isReadOnly: name === 'id',
    isQueryable: true,
    isReference: name.endsWith('ID') && !values,
    isPickList: values !== undefined,
    isSupportedWebhookField: true,
    picklistValues: (values ?? []).map((v, i) => ({
      value: String(v.value),
      label: v.label,
      isDefaultValue: i === 0,
      sortOrder: i,
      parentValue: '',
      isActive: v.isActive !== false,
      isSystem: v.isSystem === true,
    })),
  };
}

const asPicklist = (items: Array<{ id: number; label: string }>): SimPicklistValue[] =>
  items.map((f) => ({ value: f.id, label: f.label }));

export function fieldsInfo(entity: string) {
  switch (entity.toLowerCase()) {
    case 'tickets':
      return {
        fields: [
          field('id', 'long'),
          field('title', 'string'),
          field('description', 'string'),
          field('status', 'integer', STATUS_VALUES),
          field('priority', 'integer', PRIORITY_VALUES),
          field('queueID', 'integer', QUEUE_VALUES),
          field('issueType', 'integer', ISSUE_TYPE_VALUES),
          field('companyID', 'integer'),
          field('assignedResourceID', 'integer'),
          field('externalID', 'string'),
          field('lastActivityDate', 'datetime'),
        ],
      };
    case 'ticketnotes':
      return {
        fields: [
          field('id', 'long'),
          field('noteType', 'integer', NOTE_TYPE_VALUES),
          field('publish', 'integer', PUBLISH_VALUES),
        ],
      };
    case 'ticketwebhookfields':
      return { fields: [field('fieldID', 'integer', asPicklist(WEBHOOK_FIELDS.Ticket))] };
    case 'ticketnotewebhookfields':
      return { fields: [field('fieldID', 'integer', asPicklist(WEBHOOK_FIELDS.TicketNote))] };
    default:
      throw new SimAtError(404, [`No entity information for ${entity}.`]);
  }
}
