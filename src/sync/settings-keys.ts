import type { z } from 'zod';
import type { Connector } from '../connector-kit/contract.ts';

/**
 * Settings a connector does not declare. Zod objects strip unknown keys silently, so a typo
 * (`pagesize`) used to fall back to the default without a word (issue #14). Checked here, in
 * the engine, for every connector at once, with a suggestion for the likely intended key.
 */
export function unknownSettings(connector: Connector<unknown>, settings: Record<string, unknown>): string[] {
  const known = declaredSettings(connector.configSchema);
  if (!known) return [];
  return Object.keys(settings)
    .filter((key) => !known.includes(key))
    .map((key) => {
      const near = closest(key, known);
      return `${key}: unknown setting of connector "${connector.id}"${near ? `; did you mean "${near}"?` : ''} (known: ${known.join(', ')})`;
    });
}

/** The keys of a connector's config object, or null when its schema is not an object. */
export function declaredSettings(schema: z.ZodType): string[] | null {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : null;
}

/** The known key a typo most likely meant: same letters ignoring case, or at most 2 edits away. */
function closest(key: string, known: string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of known) {
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
