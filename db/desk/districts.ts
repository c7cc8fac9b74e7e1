/**
 * Data access of the front desk's districts (issue 4): a district's doctors, its address rules and how many people
 * are attached to it. Split out of the former db/desk.ts (issue 12). Writers are called inside the service's
 * recordChange transaction; nothing here opens its own. Statements are prepared once per connection
 * (db/statements.ts).
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface DistrictRow {
  id: number;
  number: string;
  name: string;
  therapist_id: number | null;
  therapist_name: string | null;
  paediatrician_id: number | null;
  paediatrician_name: string | null;
  gp_id: number | null;
  gp_name: string | null;
  attached: number;
}

const DISTRICT_SELECT = `SELECT d.id, d.number, d.name,
    d.therapist_id, th.full_name AS therapist_name,
    d.paediatrician_id, pd.full_name AS paediatrician_name,
    d.gp_id, gp.full_name AS gp_name,
    (SELECT count(*) FROM attachment a WHERE a.district_id = d.id AND a.status = 'active') AS attached
  FROM district d
  LEFT JOIN staff th ON th.id = d.therapist_id
  LEFT JOIN staff pd ON pd.id = d.paediatrician_id
  LEFT JOIN staff gp ON gp.id = d.gp_id`;

const districtStatements = statementCache((db: Db) => ({
  districts: db.prepare(`${DISTRICT_SELECT} ORDER BY length(d.number), d.number`),
  district: db.prepare(`${DISTRICT_SELECT} WHERE d.id = ?`),
  allAddresses: db.prepare(`SELECT * FROM district_address ORDER BY district_id, position`),
  addressesOf: db.prepare(`SELECT * FROM district_address WHERE district_id = ? ORDER BY position`),
  addressesByStreet: db.prepare(`SELECT * FROM district_address WHERE street_key = ? ORDER BY district_id, position`),
  insertDistrict: db.prepare(
    `INSERT INTO district (number, name, therapist_id, paediatrician_id, gp_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
  ),
  updateDistrict: db.prepare(
    `UPDATE district SET number = ?, name = ?, therapist_id = ?, paediatrician_id = ?, gp_id = ?, updated_at = ? WHERE id = ?`,
  ),
  deleteAddresses: db.prepare(`DELETE FROM district_address WHERE district_id = ?`),
  insertAddress: db.prepare(
    `INSERT INTO district_address (district_id, position, street, street_key, house_from, house_to, parity) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  numberTaken: db.prepare(`SELECT 1 FROM district WHERE number = ? AND id IS NOT ?`),
})).get;

export function listDistricts(db: Db): DistrictRow[] {
  return districtStatements(db).districts.all() as DistrictRow[];
}

export function getDistrictRow(db: Db, id: number): DistrictRow | undefined {
  return districtStatements(db).district.get(id) as DistrictRow | undefined;
}

export interface DistrictAddressRow {
  id: number;
  district_id: number;
  position: number;
  street: string;
  street_key: string;
  house_from: number | null;
  house_to: number | null;
  parity: 'all' | 'odd' | 'even';
}

export function listDistrictAddresses(db: Db, districtId?: number): DistrictAddressRow[] {
  const s = districtStatements(db);
  return (districtId === undefined ? s.allAddresses.all() : s.addressesOf.all(districtId)) as DistrictAddressRow[];
}

export function addressesByStreetKey(db: Db, key: string): DistrictAddressRow[] {
  return districtStatements(db).addressesByStreet.all(key) as DistrictAddressRow[];
}

export interface DistrictInput {
  id: number | null;
  number: string;
  name: string;
  therapistId: number | null;
  paediatricianId: number | null;
  gpId: number | null;
  addresses: Array<{ street: string; streetKey: string; houseFrom: number | null; houseTo: number | null; parity: 'all' | 'odd' | 'even' }>;
}

/** Creates or replaces a district and its address rules (configuration, not a journal: rules are replaced). */
export function saveDistrictRow(db: Db, d: DistrictInput, at: Date): number {
  const s = districtStatements(db);
  let id = d.id;
  if (id === null) {
    id = Number(s.insertDistrict.run(d.number, d.name, d.therapistId, d.paediatricianId, d.gpId, at.toISOString()).lastInsertRowid);
  } else {
    s.updateDistrict.run(d.number, d.name, d.therapistId, d.paediatricianId, d.gpId, at.toISOString(), id);
    s.deleteAddresses.run(id);
  }
  d.addresses.forEach((a, i) => s.insertAddress.run(id, i + 1, a.street, a.streetKey, a.houseFrom, a.houseTo, a.parity));
  return id;
}

export function districtNumberTaken(db: Db, number: string, exceptId: number | null): boolean {
  return !!districtStatements(db).numberTaken.get(number, exceptId);
}
