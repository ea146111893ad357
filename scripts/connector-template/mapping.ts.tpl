import type { Mappings } from '../../src/connector-kit/index.ts';

/** __NAME__'s default values <-> canonical. Replace with the tool's real values. */
export const __CAMEL__DefaultMappings: Mappings = {
  status: {
    toCanonical: { new: 'NEW', open: 'OPEN', in_progress: 'IN_PROGRESS', waiting: 'WAITING', resolved: 'RESOLVED', closed: 'CLOSED' },
    fromCanonical: { NEW: 'new', OPEN: 'open', IN_PROGRESS: 'in_progress', WAITING: 'waiting', RESOLVED: 'resolved', CLOSED: 'closed' },
  },
  priority: {
    toCanonical: { urgent: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' },
    fromCanonical: { CRITICAL: 'urgent', HIGH: 'high', MEDIUM: 'medium', LOW: 'low' },
  },
};
