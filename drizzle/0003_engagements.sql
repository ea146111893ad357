CREATE TABLE "engagements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text NOT NULL,
	"internal_party_id" uuid NOT NULL,
	"msp_party_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "engagements_slug_unique" UNIQUE("slug"),
	CONSTRAINT "engagements_key_prefix_unique" UNIQUE("key_prefix"),
	CONSTRAINT "engagements_internal_party_id_unique" UNIQUE("internal_party_id")
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD COLUMN "engagement_ids" uuid[];--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "engagement_id" uuid;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "engagement_map" jsonb;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "out_of_scope_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "out_of_scope_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "connections" ADD COLUMN "out_of_scope_last_key" text;--> statement-breakpoint
ALTER TABLE "people" ADD COLUMN "engagement_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "engagement_id" uuid;--> statement-breakpoint
-- Existing installs: one default engagement (key prefix HUB, so HUB-1 stays HUB-1) holding the
-- existing internal and MSP parties (the bootstrap's `internal` and `msp` when present).
INSERT INTO "engagements" ("slug", "name", "key_prefix", "internal_party_id", "msp_party_id")
SELECT 'default', 'Default engagement', 'HUB', i."id", m."id"
FROM (SELECT "id" FROM "parties" WHERE "kind" = 'INTERNAL' ORDER BY ("slug" = 'internal') DESC, "created_at", "id" LIMIT 1) i,
     (SELECT "id" FROM "parties" WHERE "kind" = 'MSP' ORDER BY ("slug" = 'msp') DESC, "created_at", "id" LIMIT 1) m;--> statement-breakpoint
UPDATE "tickets" SET "engagement_id" = (SELECT "id" FROM "engagements" WHERE "slug" = 'default');--> statement-breakpoint
UPDATE "connections" SET "engagement_id" = (SELECT "id" FROM "engagements" WHERE "slug" = 'default');--> statement-breakpoint
UPDATE "people" SET "engagement_id" = e."id" FROM "engagements" e WHERE e."slug" = 'default' AND "people"."party_id" = e."internal_party_id";--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "engagement_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_internal_party_id_parties_id_fk" FOREIGN KEY ("internal_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagements" ADD CONSTRAINT "engagements_msp_party_id_parties_id_fk" FOREIGN KEY ("msp_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "engagements_msp_idx" ON "engagements" USING btree ("msp_party_id");--> statement-breakpoint
ALTER TABLE "connections" ADD CONSTRAINT "connections_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "people" ADD CONSTRAINT "people_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_engagement_idx" ON "tickets" USING btree ("engagement_id","updated_at","id");