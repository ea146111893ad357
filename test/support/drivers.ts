import { existsSync } from 'node:fs';
import type { VendorDriverFactory } from '../../src/connector-kit/driver.ts';
import { CONNECTORS } from '../../src/connectors.ts';

export const MSP_TOOLS = ['connectwise', 'autotask', 'halopsa'] as const;
export const INTERNAL_TOOLS = [
  'jira-sm',
  'servicenow',
  'zendesk',
  'freshservice',
  'request-tracker',
  'request-tracker (real RT)',
] as const;

/**
 * The driver a connector ships in `connectors/<id>/driver.ts` (its single `create…Driver`
 * export), or the reason there is none.
 */
export async function loadDriver(id: string): Promise<VendorDriverFactory | string> {
  if (id === 'request-tracker (real RT)') {
    // With RT_URL set (CI starts Debian's RT 5), the pairs also run against a real server.
    const url = process.env.RT_URL;
    if (!url) return 'RT_URL is not set: run scripts/start-rt.sh to test against a real Request Tracker';
    const { createRealRequestTrackerDriver } = await import(
      '../../connectors/request-tracker/real-driver.ts'
    );
    return () => createRealRequestTrackerDriver(url);
  }
  if (!CONNECTORS[id]) return `connector "${id}" is not registered in src/connectors.ts`;
  const file = new URL(`../../connectors/${id}/driver.ts`, import.meta.url);
  if (!existsSync(file)) return `connectors/${id}/driver.ts does not exist`;
  const mod = (await import(file.href)) as Record<string, unknown>;
  const factory = Object.entries(mod).find(
    ([name, value]) => /^create\w*Driver$/.test(name) && typeof value === 'function',
  );
  return factory
    ? (factory[1] as VendorDriverFactory)
    : `connectors/${id}/driver.ts exports no create…Driver function`;
}
