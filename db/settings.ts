import type { Db } from './connection';
import { statementCache } from './statements';

// Policies and options are read on hot paths (the e-request intake reads several per request).
const statements = statementCache((db: Db) => ({ get: db.prepare('SELECT value FROM setting WHERE key = ?') }));

export function getSetting<T>(db: Db, key: string): T | undefined {
  const r = statements.get(db).get.get(key) as { value: string } | undefined;
  return r ? (JSON.parse(r.value) as T) : undefined;
}

export function setSetting(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
    key,
    JSON.stringify(value),
  );
}
