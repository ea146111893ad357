import type { Db } from './client.ts';

/**
 * Builds something once per database handle and hands back the same one after: prepared
 * statements are tied to the handle (a pool, or the embedded PGlite) they were prepared on.
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
