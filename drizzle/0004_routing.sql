CREATE TABLE "connection_area_maps" (
	"connection_id" text PRIMARY KEY NOT NULL,
	"area_map" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "engagement_routing" (
	"engagement_id" uuid PRIMARY KEY NOT NULL,
	"business_hours" jsonb NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"engagement_id" uuid NOT NULL,
	"service_area" text NOT NULL,
	"category" text,
	"priorities" text[],
	"business_hours" text,
	"responsible_party_id" uuid NOT NULL,
	"accountable_party_id" uuid NOT NULL,
	"consulted_party_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"informed_party_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"effective_from" date,
	"effective_to" date,
	"precedence" integer DEFAULT 100 NOT NULL,
	"note" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_areas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"engagement_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_areas_engagement_key_uq" UNIQUE("engagement_id","key")
);
--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "routing_reason" text;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "routing_rule_id" uuid;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD COLUMN "remote_area" text;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD COLUMN "remote_category" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "routing_rule_id" uuid;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "routing_reason" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "unrouted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "connection_area_maps" ADD CONSTRAINT "connection_area_maps_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "engagement_routing" ADD CONSTRAINT "engagement_routing_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_responsible_party_id_parties_id_fk" FOREIGN KEY ("responsible_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routing_rules" ADD CONSTRAINT "routing_rules_accountable_party_id_parties_id_fk" FOREIGN KEY ("accountable_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_areas" ADD CONSTRAINT "service_areas_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "routing_rules_engagement_idx" ON "routing_rules" USING btree ("engagement_id","service_area");--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_routing_rule_id_routing_rules_id_fk" FOREIGN KEY ("routing_rule_id") REFERENCES "public"."routing_rules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tickets_unrouted_idx" ON "tickets" USING btree ("unrouted") WHERE unrouted;