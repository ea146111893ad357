# __NAME__ connector

Scaffolded by `npm run connector:new -- __ID__`. Work through `connectors/README.md`'s checklist;
`npx vitest run connectors/__ID__` shows what is left.

## Setup in __NAME__
(The API user to create, its permissions or scopes, where to find the keys.)

## Mapped
(Which fields, statuses, priorities and comment kinds map to what; what is not mapped.)

## Webhooks and rate limits
(How the tool pushes changes and signs them; its limits and rate-limit answers.)

## Unconfirmed
(Every behaviour chosen without a vendor source, said plainly.)
