/**
 * Prepared statements kept per connection: preparing costs more than running on hot paths (a register import
 * runs one statement two million times), and a statement belongs to the connection that prepared it.
 */
import type { Db } from './connection';

export interface StatementCache<T> {
  get(db: Db): T;
  /** Forget this connection's statements (after DDL that invalidates them, e.g. dropping an index). */
  reset(db: Db): void;
}

export function statementCache<T>(prepare: (db: Db) => T): StatementCache<T> {
  const cache = new WeakMap<Db, T>();
  return {
    get(db) {
      let s = cache.get(db);
      if (!s) {
        s = prepare(db);
        cache.set(db, s);
      }
      return s;
    },
    reset(db) {
      cache.delete(db);
    },
  };
}
