ALTER TABLE "api_tokens" ADD COLUMN "expires_at" timestamp (3) with time zone;--> statement-breakpoint
-- Data fix: hubs before this migration left events open to every party that could later see
-- the ticket, so a confidential ticket's past (a secret title, its comments) showed in the
-- history once it was shared. Restrict every event written while its ticket was confidential,
-- and the events that flipped confidentiality, to the party that wrote them (only the owner can
-- write to a confidential ticket). The state after an event is the `to` of the last
-- confidentiality change up to it, else the `from` of the next one, else the ticket's current
-- value; only tickets that are or ever were confidential are looked at.
UPDATE "ticket_events" AS e
SET "restricted_to_party_id" = e."actor_party_id"
FROM "tickets" AS t
WHERE t."id" = e."ticket_id"
  AND e."restricted_to_party_id" IS NULL
  AND (t."confidential" OR EXISTS (
    SELECT 1 FROM "ticket_events" AS x
    WHERE x."ticket_id" = e."ticket_id" AND x."changes" @> '[{"field": "confidential"}]'::jsonb
  ))
  AND (
    e."changes" @> '[{"field": "confidential"}]'::jsonb
    OR coalesce(
      (SELECT (c->>'to')::boolean FROM "ticket_events" AS p, jsonb_array_elements(p."changes") AS c
        WHERE p."ticket_id" = e."ticket_id" AND p."id" <= e."id" AND c->>'field' = 'confidential'
        ORDER BY p."id" DESC LIMIT 1),
      (SELECT (c->>'from')::boolean FROM "ticket_events" AS n, jsonb_array_elements(n."changes") AS c
        WHERE n."ticket_id" = e."ticket_id" AND n."id" > e."id" AND c->>'field' = 'confidential'
        ORDER BY n."id" ASC LIMIT 1),
      t."confidential"
    )
  );
