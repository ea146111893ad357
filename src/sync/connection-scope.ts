import type { EngagementRow, PartyRow } from '../db/schema/index.ts';
import type { ConnectionDefinition } from './connections-file.ts';
import type { ConnectionScope } from './scope.ts';

/**
 * Resolves a connection's engagement binding against the hub's engagements, or says what is
 * wrong: an unknown slug (naming the known ones), a party that is not a side of the engagement,
 * or no engagement named while the hub has several.
 */
export function resolveConnectionScope(
  def: ConnectionDefinition,
  party: PartyRow,
  all: EngagementRow[],
): { scope: ConnectionScope } | { problems: string[] } {
  const problems: string[] = [];
  const known = all.map((e) => e.slug).join(', ') || 'none';
  const bySlug = (slug: string, at: string) => {
    const found = all.find((e) => e.slug === slug);
    if (!found) problems.push(`connection ${def.id}: ${at}: no engagement "${slug}" (known: ${known})`);
    else if (found.internalPartyId !== party.id && found.mspPartyId !== party.id) {
      problems.push(
        `connection ${def.id}: ${at}: party "${party.slug}" is not a side of engagement "${slug}"`,
      );
    }
    return found;
  };
  const binding = def.engagement;
  let scope: ConnectionScope | null = null;
  if (binding.kind === 'default') {
    const mine = all.filter((e) => e.internalPartyId === party.id || e.mspPartyId === party.id);
    if (mine.length === 1) scope = { engagementIds: [mine[0]!.id], byKey: null };
    else
      problems.push(
        `connection ${def.id}: engagement: the hub has ${mine.length === 0 ? 'no engagement' : 'several engagements'} for party "${party.slug}": name one with "engagement" or map customers with "engagements" (known: ${known})`,
      );
  } else if (binding.kind === 'one') {
    const e = bySlug(binding.slug, 'engagement');
    if (e) {
      scope = {
        engagementIds: [e.id],
        byKey: binding.scope ? new Map(binding.scope.map((key) => [key, e.id])) : null,
      };
    }
  } else {
    const byKey = new Map<string, string>();
    for (const [key, slug] of Object.entries(binding.byKey)) {
      const e = bySlug(slug, `engagements.${key}`);
      if (e) byKey.set(key, e.id);
    }
    scope = { engagementIds: [...new Set(byKey.values())], byKey };
  }
  return problems.length || !scope ? { problems } : { scope };
}
