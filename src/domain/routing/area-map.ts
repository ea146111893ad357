import { z } from 'zod';

/**
 * A connection's map from where a ticket sits in the tool to the hub's service area: by board or
 * queue (`TicketRecord.queue`) and by type or category (`TicketRecord.category`). A category
 * entry wins over a queue entry (it is the finer distinction). Applied on every pull, so a board
 * move in the tool moves the ticket's area in the hub; read backwards for creates (the first
 * queue mapped to the ticket's area is where the tool's copy is filed).
 */
export const AreaMapSchema = z
  .object({
    queues: z
      .record(z.string().min(1), z.string().min(1))
      .optional()
      .describe('Board or queue name -> service area key, e.g. { "Network": "network" }.'),
    categories: z
      .record(z.string().min(1), z.string().min(1))
      .optional()
      .describe('Type or category name -> service area key, e.g. { "Backup failure": "backup" }.'),
    knownQueues: z
      .array(z.string().min(1))
      .optional()
      .describe(
        'Boards or queues the tool has, beyond the one in settings: a map entry naming another is refused.',
      ),
  })
  .strict();
export type AreaMap = z.infer<typeof AreaMapSchema>;

export interface AreaMapEntry {
  field: 'QUEUE' | 'CATEGORY';
  toolValue: string;
  serviceArea: string;
}

export function toAreaMapEntries(map: AreaMap): AreaMapEntry[] {
  return [
    ...Object.entries(map.queues ?? {}).map(([toolValue, serviceArea]) => ({
      field: 'QUEUE' as const,
      toolValue,
      serviceArea,
    })),
    ...Object.entries(map.categories ?? {}).map(([toolValue, serviceArea]) => ({
      field: 'CATEGORY' as const,
      toolValue,
      serviceArea,
    })),
  ];
}

/** The area a tool record maps to; null when the map says nothing about it. Names compare case-insensitively. */
export function toServiceArea(
  entries: AreaMapEntry[],
  record: { queue?: string | null; category?: string | null },
): string | null {
  const find = (field: AreaMapEntry['field'], value: string | null | undefined) =>
    value ? entries.find((e) => e.field === field && same(e.toolValue, value))?.serviceArea : undefined;
  return find('CATEGORY', record.category) ?? find('QUEUE', record.queue) ?? null;
}

/** The board or queue to file a new tool ticket in for an area; null: the connection's default. */
export function toToolQueue(entries: AreaMapEntry[], serviceArea: string | null): string | null {
  if (!serviceArea) return null;
  return entries.find((e) => e.field === 'QUEUE' && e.serviceArea === serviceArea)?.toolValue ?? null;
}

/** One bad entry: its index in `toAreaMapEntries` order, which part is wrong, and why. */
export interface AreaMapProblem {
  index: number;
  part: 'toolValue' | 'serviceArea';
  message: string;
}

/** A map's problems against the engagement's areas and the tool's known boards. */
export function areaMapProblems(
  entries: AreaMapEntry[],
  /** Null: the areas are not checked here (a connections file, read before the catalogue). */
  areas: ReadonlySet<string> | null,
  knownQueues: ReadonlySet<string> | null,
): AreaMapProblem[] {
  const problems: AreaMapProblem[] = [];
  const known = knownQueues ? [...knownQueues].map((q) => q.toLowerCase()) : null;
  const seen = new Set<string>();
  entries.forEach((e, index) => {
    if (areas && !areas.has(e.serviceArea)) {
      problems.push({
        index,
        part: 'serviceArea',
        message: `unknown service area "${e.serviceArea}" (known: ${[...areas].join(', ') || 'none; add one with createServiceArea'})`,
      });
    }
    if (e.field === 'QUEUE' && known && !known.includes(e.toolValue.toLowerCase())) {
      problems.push({
        index,
        part: 'toolValue',
        message: `unknown board or queue "${e.toolValue}" for this connection (known: ${[...knownQueues!].join(', ')}); add it to the connection's knownQueues if the tool has it`,
      });
    }
    const key = `${e.field}\u0000${e.toolValue.toLowerCase()}`;
    if (seen.has(key))
      problems.push({ index, part: 'toolValue', message: `"${e.toolValue}" is mapped twice` });
    seen.add(key);
  });
  return problems;
}

/** Where a problem's entry sits in the input: `queues[0]` for lists, `queues["Help Desk"]` for records. */
export function entryPath(
  entries: AreaMapEntry[],
  problem: AreaMapProblem,
  style: 'list' | 'record',
): string {
  const entry = entries[problem.index]!;
  const group = entry.field === 'QUEUE' ? 'queues' : 'categories';
  if (style === 'record') return `${group}[${JSON.stringify(entry.toolValue)}]`;
  const position = entries.filter((e, i) => e.field === entry.field && i < problem.index).length;
  return `${group}[${position}].${problem.part}`;
}

function same(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}
