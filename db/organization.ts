import type { Organization } from '../common/schemas';
import type { Db } from './connection';
import { statementCache } from './statements';

// Read on nearly every call (the calendar, the numbering, every printout): prepared once per connection.
const statements = statementCache((db: Db) => ({ get: db.prepare('SELECT * FROM organization WHERE id = 1') }));

export function getOrganization(db: Db): Organization | null {
  const r = statements.get(db).get.get() as Record<string, string> | undefined;
  if (!r) return null;
  return {
    bin: r.bin!,
    name: { kk: r.name_kk!, ru: r.name_ru!, en: r.name_en! },
    region: r.region!,
    timezone: r.timezone!,
    address: r.address!,
    workstationPrefix: r.workstation_prefix!,
  };
}

export function saveOrganization(db: Db, o: Organization): void {
  db.prepare(
    `INSERT INTO organization (id, bin, name_kk, name_ru, name_en, region, timezone, address, workstation_prefix)
     VALUES (1, @bin, @kk, @ru, @en, @region, @timezone, @address, @prefix)
     ON CONFLICT (id) DO UPDATE SET bin = excluded.bin, name_kk = excluded.name_kk, name_ru = excluded.name_ru,
       name_en = excluded.name_en, region = excluded.region, timezone = excluded.timezone, address = excluded.address,
       workstation_prefix = excluded.workstation_prefix`,
  ).run({ ...o, ...o.name, prefix: o.workstationPrefix });
}
