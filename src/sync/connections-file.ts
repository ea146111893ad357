import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config.ts';
import type { MappingOverrides } from '../connector-kit/context.ts';
import type { Connector } from '../connector-kit/contract.ts';
import { TicketPrioritySchema, TicketStatusSchema } from '../connector-kit/records.ts';
import { knownQueuesOf } from '../domain/routing/admin.ts';
import {
  type AreaMap,
  AreaMapSchema,
  areaMapProblems,
  entryPath,
  toAreaMapEntries,
} from '../domain/routing/area-map.ts';

const mapSchema = <V extends z.ZodType>(value: V) =>
  z
    .object({
      toCanonical: z.record(z.string(), value).optional(),
      fromCanonical: z.record(z.string(), z.string()).optional(),
    })
    .strict();

export const SharingRulesSchema = z
  .object({
    all: z.boolean().optional().describe('Mirror every ticket the party may see into this tool.'),
    priorities: z.array(TicketPrioritySchema).optional().describe('Mirror tickets of these priorities.'),
    serviceAreas: z.array(z.string()).optional().describe('Mirror tickets in these service areas.'),
  })
  .strict();
export type SharingRules = z.infer<typeof SharingRulesSchema>;

const ConnectionEntrySchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{1,62}$/,
        'use 2-63 lowercase letters, digits and dashes, e.g. "msp-connectwise"',
      ),
    connector: z.string().min(1),
    party: z.string().min(1).describe('The slug of the party that owns this tool, e.g. "msp".'),
    name: z.string().min(1).optional(),
    engagement: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The slug of the one engagement this tool serves, e.g. "acme" (a helpdesk, or a PSA for one customer).',
      ),
    scope: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        "With `engagement`: the tool's customer keys (company ids...) that belong to it; others are dropped.",
      ),
    engagements: z
      .record(z.string().min(1), z.string().min(1))
      .optional()
      .describe("An MSP PSA serving many customers: the tool's customer key -> engagement slug."),
    settings: z.record(z.string(), z.unknown()),
    mappings: z
      .object({
        status: mapSchema(TicketStatusSchema).optional(),
        priority: mapSchema(TicketPrioritySchema).optional(),
      })
      .strict()
      .optional(),
    sharing: SharingRulesSchema.optional(),
    /** The tool's boards/queues and types/categories -> the engagement's service areas. */
    areaMap: AreaMapSchema.optional(),
    /** Email -> the tool's user id, for people whose emails differ between systems. */
    people: z.record(z.string(), z.string().min(1)).optional(),
    pollIntervalSeconds: z.number().int().min(1).max(86_400).default(60),
  })
  .strict();

const FileSchema = z.object({ connections: z.array(z.unknown()) }).strict();

export type EngagementBinding =
  | { kind: 'one'; slug: string; scope: string[] | null }
  | { kind: 'map'; byKey: Record<string, string> }
  | { kind: 'default' };

export interface ConnectionDefinition {
  id: string;
  connector: Connector<unknown>;
  partySlug: string;
  /**
   * Which engagements the connection serves, by slug: one (with optional scope keys), a map
   * from the tool's customer key to engagement, or neither (the hub's only engagement).
   */
  engagement: EngagementBinding;
  name: string;
  /** Validated, secrets resolved. Never log it. */
  config: unknown;
  /** The settings as written in the file (env references, no secret values): safe to store. */
  publicSettings: Record<string, unknown>;
  mapOverrides: MappingOverrides;
  sharing: SharingRules;
  /** Null: none in the file (one set through GraphQL or the CLI stays as it is). */
  areaMap: AreaMap | null;
  people: Record<string, string>;
  pollIntervalMs: number;
}

/** Reads and validates the connections file; every problem is reported at once, by path. */
export function loadConnectionsFile(
  path: string,
  registry: Record<string, Connector<never>>,
  env: Record<string, string | undefined>,
): ConnectionDefinition[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`Cannot read connections file ${path}: ${(err as Error).message}`);
  }
  return parseConnections(raw, registry, env, path);
}

export function parseConnections(
  raw: unknown,
  registry: Record<string, Connector<never>>,
  env: Record<string, string | undefined>,
  source = 'connections',
): ConnectionDefinition[] {
  const problems: string[] = [];
  const parsed = FileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues) problems.push(`${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`Invalid ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const seen = new Set<string>();
  const out: ConnectionDefinition[] = [];
  parsed.data.connections.forEach((raw, index) => {
    const at = `connections[${index}]`;
    // Each entry is checked on its own, so one bad entry does not hide the others' problems.
    const checked = ConnectionEntrySchema.safeParse(raw);
    if (!checked.success) {
      for (const i of checked.error.issues) problems.push(`${at}${formatPath(i.path, true)}: ${i.message}`);
      return;
    }
    const entry = checked.data;
    if (entry.engagements && (entry.engagement || entry.scope)) {
      problems.push(
        `${at}.engagements: name either "engagement" (with an optional "scope") or an "engagements" map, not both`,
      );
    }
    if (entry.scope && !entry.engagement) {
      problems.push(`${at}.scope: a scope needs "engagement" naming the engagement it belongs to`);
    }
    if (entry.engagements && Object.keys(entry.engagements).length === 0) {
      problems.push(`${at}.engagements: map at least one customer key to an engagement slug`);
    }
    if (seen.has(entry.id)) problems.push(`${at}.id: "${entry.id}" is used twice`);
    seen.add(entry.id);
    const connector = registry[entry.connector] as Connector<unknown> | undefined;
    if (!connector) {
      problems.push(
        `${at}.connector: unknown connector "${entry.connector}" (known: ${Object.keys(registry).join(', ')})`,
      );
      return;
    }
    const secrets = secretFields(connector.configSchema);
    const resolved: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry.settings)) {
      const ref = envRef(value);
      if (ref) {
        const v = env[ref];
        if (v === undefined || v === '')
          problems.push(`${at}.settings.${key}: environment variable ${ref} is not set`);
        resolved[key] = v;
      } else if (secrets.has(key)) {
        problems.push(
          `${at}.settings.${key} is a secret: keep it out of the file, write { "env": "VARIABLE" } and set that variable`,
        );
      } else {
        resolved[key] = value;
      }
    }
    if (entry.areaMap) {
      const entries = toAreaMapEntries(entry.areaMap);
      for (const p of areaMapProblems(entries, null, knownQueuesOf(entry.settings, entry.areaMap))) {
        problems.push(`${at}.areaMap.${entryPath(entries, p, 'record')}: ${p.message}`);
      }
    }
    const config = connector.configSchema.safeParse(resolved);
    if (!config.success) {
      for (const i of config.error.issues)
        problems.push(`${at}.settings${formatPath(i.path, true)}: ${i.message}`);
    }
    out.push({
      id: entry.id,
      connector,
      partySlug: entry.party,
      engagement: entry.engagements
        ? { kind: 'map', byKey: entry.engagements }
        : entry.engagement
          ? { kind: 'one', slug: entry.engagement, scope: entry.scope ?? null }
          : { kind: 'default' },
      name: entry.name ?? `${connector.displayName} (${entry.party})`,
      config: config.success ? config.data : null,
      publicSettings: entry.settings,
      mapOverrides: (entry.mappings ?? {}) as MappingOverrides,
      sharing: entry.sharing ?? {},
      areaMap: entry.areaMap ?? null,
      people: Object.fromEntries(
        Object.entries(entry.people ?? {}).map(([email, id]) => [email.toLowerCase(), id]),
      ),
      pollIntervalMs: entry.pollIntervalSeconds * 1000,
    });
  });
  if (problems.length) {
    throw new ConfigError(`Invalid ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return out;
}

function envRef(value: unknown): string | null {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const name = (value as { env?: unknown }).env;
    if (keys.length === 1 && typeof name === 'string') return name;
  }
  return null;
}

/** Fields the connector marks `.describe('secret: …')`: they may only come from the environment. */
function secretFields(schema: z.ZodType): Set<string> {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape ?? {};
  return new Set(
    Object.entries(shape)
      .filter(([, field]) => field.description?.toLowerCase().startsWith('secret'))
      .map(([key]) => key),
  );
}

function formatPath(path: ReadonlyArray<PropertyKey>, leadingDot = false): string {
  const text = path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  return leadingDot ? text : text.replace(/^\./, '');
}
