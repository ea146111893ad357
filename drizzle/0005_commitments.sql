ALTER TYPE "public"."event_type" ADD VALUE 'SLA_WARNING';--> statement-breakpoint
ALTER TYPE "public"."event_type" ADD VALUE 'SLA_BREACHED';--> statement-breakpoint
ALTER TYPE "public"."event_type" ADD VALUE 'SLA_MET';--> statement-breakpoint
ALTER TYPE "public"."event_type" ADD VALUE 'COURT_CHANGED';--> statement-breakpoint
CREATE TABLE "business_calendars" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"engagement_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"calendar" jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_calendars_engagement_key_uq" UNIQUE("engagement_id","key")
);
--> statement-breakpoint
CREATE TABLE "commitment_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"engagement_id" uuid NOT NULL,
	"key" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"obligated_party_id" uuid NOT NULL,
	"metric" text NOT NULL,
	"service_areas" text[],
	"priorities" text[],
	"categories" text[],
	"targets" jsonb NOT NULL,
	"calendar_id" uuid NOT NULL,
	"pause_statuses" text[] DEFAULT '{}'::text[] NOT NULL,
	"clock_start" text NOT NULL,
	"warning_percents" integer[] DEFAULT '{}'::int[] NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "commitment_policies_engagement_key_uq" UNIQUE("engagement_id","key")
);
--> statement-breakpoint
CREATE TABLE "court_intervals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" uuid NOT NULL,
	"party_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"ended_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE TABLE "ticket_clocks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"ticket_id" uuid NOT NULL,
	"policy_id" uuid NOT NULL,
	"obligated_party_id" uuid NOT NULL,
	"status" text NOT NULL,
	"target_ms" bigint NOT NULL,
	"spent_ms" bigint DEFAULT 0 NOT NULL,
	"running_since" timestamp (3) with time zone,
	"breached_at" timestamp (3) with time zone,
	"met_at" timestamp (3) with time zone,
	"due_at" timestamp (3) with time zone,
	"next_fire_at" timestamp (3) with time zone,
	"warned_percents" integer[] DEFAULT '{}'::int[] NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_clocks_ticket_policy_uq" UNIQUE("ticket_id","policy_id")
);
--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "clock_id" uuid;--> statement-breakpoint
ALTER TABLE "business_calendars" ADD CONSTRAINT "business_calendars_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_policies" ADD CONSTRAINT "commitment_policies_engagement_id_engagements_id_fk" FOREIGN KEY ("engagement_id") REFERENCES "public"."engagements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_policies" ADD CONSTRAINT "commitment_policies_obligated_party_id_parties_id_fk" FOREIGN KEY ("obligated_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "commitment_policies" ADD CONSTRAINT "commitment_policies_calendar_id_business_calendars_id_fk" FOREIGN KEY ("calendar_id") REFERENCES "public"."business_calendars"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "court_intervals" ADD CONSTRAINT "court_intervals_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "court_intervals" ADD CONSTRAINT "court_intervals_party_id_parties_id_fk" FOREIGN KEY ("party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_clocks" ADD CONSTRAINT "ticket_clocks_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_clocks" ADD CONSTRAINT "ticket_clocks_policy_id_commitment_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."commitment_policies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_clocks" ADD CONSTRAINT "ticket_clocks_obligated_party_id_parties_id_fk" FOREIGN KEY ("obligated_party_id") REFERENCES "public"."parties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "commitment_policies_engagement_idx" ON "commitment_policies" USING btree ("engagement_id");--> statement-breakpoint
CREATE INDEX "court_intervals_ticket_idx" ON "court_intervals" USING btree ("ticket_id","started_at");--> statement-breakpoint
CREATE INDEX "court_intervals_open_idx" ON "court_intervals" USING btree ("party_id","started_at") WHERE ended_at is null;--> statement-breakpoint
CREATE INDEX "ticket_clocks_next_fire_idx" ON "ticket_clocks" USING btree ("next_fire_at") WHERE next_fire_at is not null;--> statement-breakpoint
CREATE INDEX "ticket_clocks_due_idx" ON "ticket_clocks" USING btree ("due_at") WHERE due_at is not null;