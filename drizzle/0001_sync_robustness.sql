ALTER TYPE "public"."event_type" ADD VALUE 'REMOVED_IN_TOOL';--> statement-breakpoint
ALTER TYPE "public"."event_type" ADD VALUE 'MERGED_IN_TOOL';--> statement-breakpoint
ALTER TABLE "ticket_links" ADD COLUMN "notice" text;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD COLUMN "removed_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD COLUMN "removed_as" text;--> statement-breakpoint
ALTER TABLE "ticket_links" ADD COLUMN "merged_into" text;--> statement-breakpoint
ALTER TABLE "inbound_queue" ADD COLUMN "claimed_by" text;--> statement-breakpoint
ALTER TABLE "sync_outbox" ADD COLUMN "failing_since" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "sync_outbox" ADD COLUMN "permanent" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_outbox" ADD COLUMN "claimed_by" text;