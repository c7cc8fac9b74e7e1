/** Interim internal standards (db/migrations/0011-regulation-adoption.ts): read all, replace one. */
import { adoptionSchema, type Adoption } from '../common/regulation-adoption';
import type { Db } from './connection';
import { statementCache } from './statements';

const statements = statementCache((db: Db) => ({
  all: db.prepare(`SELECT payload FROM regulation_adoption ORDER BY key`).pluck(true),
  upsert: db.prepare(
    `INSERT INTO regulation_adoption (key, payload, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET payload = excluded.payload, updated_at = excluded.updated_at`,
  ),
})).get;

/** Every adoption recorded here (open and closed); a row that no longer parses is skipped, not fatal. */
export function listAdoptions(db: Db): Adoption[] {
  return (statements(db).all.all() as string[]).flatMap((text) => {
    const r = adoptionSchema.safeParse(JSON.parse(text));
    return r.success ? [r.data] : [];
  });
}

export function saveAdoption(db: Db, a: Adoption, at: Date): void {
  statements(db).upsert.run(a.key, JSON.stringify(a), at.toISOString());
}
