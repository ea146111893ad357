import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import type { AreaMap } from '../../domain/routing/area-map.ts';
import type { BusinessHours } from '../../domain/routing/moment.ts';
import { connections } from './connections.ts';
import { engagements } from './engagements.ts';
import { parties } from './parties.ts';

/** An engagement's catalogue of service areas (Monitoring, Patching, Helpdesk tier 1...). */
export const serviceAreas = pgTable(
  'service_areas',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    /** Kebab-case, unique within the engagement: what tickets, maps and rules name (`helpdesk-t1`). */
    key: text('key').notNull(),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [unique('service_areas_engagement_key_uq').on(t.engagementId, t.key)],
);

/** The responsibility matrix: one row per rule (see src/domain/routing/rules.ts). */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    engagementId: uuid('engagement_id')
      .notNull()
      .references(() => engagements.id, { onDelete: 'cascade' }),
    serviceArea: text('service_area').notNull(),
    category: text('category'),
    /** Null: every priority. */
    priorities: text('priorities').array().$type<('CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW')[]>(),
    /** IN, OUT, or null for either. */
    businessHours: text('business_hours').$type<'IN' | 'OUT'>(),
    responsiblePartyId: uuid('responsible_party_id')
      .notNull()
      .references(() => parties.id),
    accountablePartyId: uuid('accountable_party_id')
      .notNull()
      .references(() => parties.id),
    consultedPartyIds: uuid('consulted_party_ids').array().notNull().default(sql`'{}'::uuid[]`),
    informedPartyIds: uuid('informed_party_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** Calendar days in the engagement's time zone; from inclusive, to exclusive. */
    effectiveFrom: date('effective_from', { mode: 'string' }),
    effectiveTo: date('effective_to', { mode: 'string' }),
    precedence: integer('precedence').notNull().default(100),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [index('routing_rules_engagement_idx').on(t.engagementId, t.serviceArea)],
);

/** Per-engagement routing settings: the business hours rules read. */
export const engagementRouting = pgTable('engagement_routing', {
  engagementId: uuid('engagement_id')
    .primaryKey()
    .references(() => engagements.id, { onDelete: 'cascade' }),
  businessHours: jsonb('business_hours').$type<BusinessHours>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** A connection's map from the tool's board/queue and type/category to a service area. */
export const connectionAreaMaps = pgTable('connection_area_maps', {
  connectionId: text('connection_id')
    .primaryKey()
    .references(() => connections.id, { onDelete: 'cascade' }),
  areaMap: jsonb('area_map').$type<AreaMap>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type ServiceAreaRow = typeof serviceAreas.$inferSelect;
export type RoutingRuleRow = typeof routingRules.$inferSelect;
