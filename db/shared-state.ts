/**
 * Applying what other desks of the organization changed (issue 13): pulled shared rows (common/shared-state.ts) land
 * in this desk's own tables — people entered by hand, staff, districts, timetables and their exceptions, prices,
 * the working calendar, imported regulation files, the organization's profile — and other desks' confirmed bookings land in `remote_booking`,
 * which the free-slot search reads beside the local appointments.
 *
 * Called inside the transaction that stores the pulled page and its cursor (db/sync.ts applyPulledPage).
 * Last writer wins in the server's order, except over a change of the same row this desk has made and not yet
 * pushed: that change comes back later in the order and wins then.
 */
import { SHARED_OP_KINDS, sharedRowOf, type SharedKind } from '../common/shared-state';
import type { Person } from '../common/schemas';
import type { OrgProfile } from '../common/organization';
import { nameKey } from '../common/text';
import type { Db } from './connection';
import { findPersonByIin, upsertPerson } from './people';
import { findStaffByLogin } from './staff';
import { saveDistrictRow } from './desk/districts';
import { saveTimetableRow } from './desk/timetables';
import { insertPrice, samePriceStart, setPriceFee, upsertRegisterEntry } from './dispensary';
import { insertRegulationFile } from './requests';
import { saveAdoption } from './regulation-adoptions';
import { adoptionSchema } from '../common/regulation-adoption';
import { setSetting } from './settings';
import { statementCache } from './statements';

/** The setting the working calendar lives in (electron/services/workflow/context.ts reads it). */
export const CALENDAR_SETTING = 'workflow.calendar';

/** A password hash nothing verifies against: an account another desk created signs in here after a reset. */
const NO_PASSWORD = '!shared';

const statements = statementCache((db: Db) => ({
  pendingShared: db.prepare(
    `SELECT kind, entity_id, payload FROM outbox WHERE status IN ('pending','claimed') AND kind IN (${SHARED_OP_KINDS.map(() => '?').join(',')})`,
  ),
  updateStaff: db.prepare(
    `UPDATE staff SET full_name = @fullName, iin = @iin, role = @role, specialty = @specialty, disabled = @disabled, updated_at = @at WHERE login = @login`,
  ),
  insertStaff: db.prepare(
    `INSERT INTO staff (login, full_name, iin, role, specialty, password_hash, language, disabled, must_change_password, created_at, updated_at)
     VALUES (@login, @fullName, @iin, @role, @specialty, '${NO_PASSWORD}', 'kk', @disabled, 1, @at, @at)`,
  ),
  regulationFile: db.prepare(`SELECT id FROM regulation_file WHERE file = ?`).pluck(true),
  districtByNumber: db.prepare(`SELECT id FROM district WHERE number = ?`).pluck(true),
  exceptionByUid: db.prepare(`SELECT id FROM timetable_exception WHERE uid = ?`).pluck(true),
  insertException: db.prepare(
    `INSERT INTO timetable_exception (doctor_id, kind, date_from, date_to, start_time, end_time, note, created_at, uid)
     VALUES (@doctor_id, @kind, @date_from, @date_to, @start_time, @end_time, @note, @at, @uid)`,
  ),
  removeException: db.prepare(`UPDATE timetable_exception SET removed_at = ? WHERE uid = ? AND removed_at IS NULL`),
  updateOrganization: db.prepare(
    `UPDATE organization SET name_kk = @kk, name_ru = @ru, name_en = @en, region = @region, timezone = @timezone, address = @address WHERE id = 1`,
  ),
  upsertRemoteBooking: db.prepare(
    // A booking made here (this desk before it was enrolled again, say) is in `booking` already: not another desk's.
    `INSERT INTO remote_booking (booking_id, doctor, slot_start, slot_ms, workstation_id, confirmed_at)
     SELECT @id, @doctor, @slot_start, @slot_ms, @ws, @confirmed WHERE NOT EXISTS (SELECT 1 FROM booking WHERE booking_id = @id)
     ON CONFLICT (booking_id) DO UPDATE SET doctor = excluded.doctor, slot_start = excluded.slot_start, slot_ms = excluded.slot_ms`,
  ),
  deleteRemoteBooking: db.prepare(`DELETE FROM remote_booking WHERE booking_id = ?`),
})).get;

/** Keys (`kind key`) of shared rows this desk changed and has not pushed yet. */
export function pendingSharedKeys(db: Db): Set<string> {
  const out = new Set<string>();
  for (const o of statements(db).pendingShared.all(...SHARED_OP_KINDS) as Array<{ kind: string; entity_id: string; payload: string }>) {
    const row = sharedRowOf({ kind: o.kind, entity_id: o.entity_id, payload: JSON.parse(o.payload) });
    if (row) out.add(`${row.kind} ${row.key}`);
  }
  return out;
}

const staffId = (db: Db, login: unknown): number | null =>
  typeof login === 'string' && login ? (findStaffByLogin(db, login)?.id ?? null) : null;

/**
 * Applies one shared row. Returns false when it could not be applied here (a timetable of a doctor this desk does
 * not know yet, a malformed row): it is skipped, not fatal — the next version of the row will carry it.
 */
export function applySharedRow(db: Db, kind: SharedKind, key: string, payload: unknown, deleted: boolean, at: Date): boolean {
  const s = statements(db);
  const p = (payload ?? {}) as Record<string, any>;
  const stamp = at.toISOString();
  switch (kind) {
    case 'person': {
      if (deleted) return false;
      const existing = findPersonByIin(db, key);
      // The population register is the authority: a person it holds is never overwritten by a hand entry.
      if (existing && existing.source === 'register') return true;
      const person: Person = { ...(p as Person), iin: key, source: 'manual' };
      if (!person.surname || !person.givenName || !person.birthDate || !person.sex) return false;
      upsertPerson(db, person, at);
      return true;
    }
    case 'staff': {
      if (deleted || !p.role || !p.fullName) return false;
      const row = {
        login: key,
        fullName: String(p.fullName),
        iin: p.iin ?? null,
        role: p.role,
        specialty: p.role === 'physician' ? (p.specialty ?? null) : null,
        disabled: p.disabled ? 1 : 0,
        at: stamp,
      };
      if (row.role === 'physician' && !row.specialty) return false;
      if (s.updateStaff.run(row).changes === 0) s.insertStaff.run(row);
      return true;
    }
    case 'district': {
      if (deleted || !p.name || !Array.isArray(p.addresses)) return false;
      const id = (s.districtByNumber.get(key) as number | undefined) ?? null;
      saveDistrictRow(
        db,
        {
          id,
          number: key,
          name: String(p.name),
          therapistId: staffId(db, p.therapist),
          paediatricianId: staffId(db, p.paediatrician),
          gpId: staffId(db, p.gp),
          addresses: (p.addresses as Array<Record<string, any>>).map((a) => ({
            street: String(a.street),
            streetKey: a.streetKey ?? nameKey(String(a.street)),
            houseFrom: a.houseFrom ?? null,
            houseTo: a.houseTo ?? null,
            parity: a.parity ?? 'all',
          })),
        },
        at,
      );
      return true;
    }
    case 'timetable': {
      const doctor = staffId(db, key);
      if (deleted || doctor === null || !p.template) return false;
      saveTimetableRow(db, doctor, JSON.stringify(p.template), p.template.room ?? null, at, null);
      return true;
    }
    case 'timetable-exception': {
      if (deleted) {
        s.removeException.run(stamp, key);
        return true;
      }
      const doctor = staffId(db, p.doctor);
      if (doctor === null) return false;
      if (s.exceptionByUid.get(key) !== undefined) return true;
      const extra = p.kind === 'extra';
      s.insertException.run({
        doctor_id: doctor,
        kind: p.kind,
        date_from: p.from,
        date_to: p.to,
        start_time: extra ? p.start : null,
        end_time: extra ? p.end : null,
        note: p.note ?? null,
        at: stamp,
        uid: key,
      });
      return true;
    }
    case 'price': {
      if (deleted || typeof p.serviceId !== 'string' || typeof p.effectiveFrom !== 'string' || !Number.isInteger(p.feeKzt)) return false;
      // Last writer wins per (service, start); the prices' end dates follow from their starts (db/dispensary.ts).
      if (samePriceStart(db, p.serviceId, p.effectiveFrom)) setPriceFee(db, p.serviceId, p.effectiveFrom, p.feeKzt);
      else
        insertPrice(db, {
          service_id: p.serviceId,
          fee_kzt: p.feeKzt,
          effective_from: p.effectiveFrom,
          created_at: stamp,
          created_by: null,
        });
      return true;
    }
    case 'calendar':
      if (deleted) return false;
      setSetting(db, CALENDAR_SETTING, p);
      return true;
    case 'regulation-file': {
      // Imported files are never replaced (a successor is a new file): one already here stays as it is.
      if (deleted || typeof p.content !== 'string') return false;
      if (s.regulationFile.get(key) === undefined) insertRegulationFile(db, key, p.content, at, null);
      return true;
    }
    case 'regulation-adoption': {
      // The whole record travels; the newest version (in the server's order) replaces this desk's row.
      const parsed = adoptionSchema.safeParse(p);
      if (deleted || !parsed.success || parsed.data.key !== key) return false;
      saveAdoption(db, parsed.data, at);
      return true;
    }
    case 'register-entry': {
      // Only desks that check the registers are sent these (the server decides); one here came from an import.
      const r = p as { register?: string; iin?: string; fromDate?: string; removedOn?: string | null };
      if (deleted || !r.register || !r.iin || !r.fromDate || !['tb', 'psychiatric', 'narcology'].includes(r.register)) return false;
      upsertRegisterEntry(db, {
        register: r.register as 'tb',
        iin: r.iin,
        from_date: r.fromDate,
        removed_on: r.removedOn ?? null,
        source: 'sync',
        updated_at: stamp,
      });
      return true;
    }
    case 'organization': {
      if (deleted) return false;
      const o = p as OrgProfile;
      if (!o.name || !o.region || !o.timezone) return false;
      s.updateOrganization.run({
        kk: o.name.kk,
        ru: o.name.ru,
        en: o.name.en ?? '',
        region: o.region,
        timezone: o.timezone,
        address: o.address ?? '',
      });
      return true;
    }
  }
}

/** Another desk's booking, confirmed by the server (or released: deleted). */
export function applyRemoteBooking(db: Db, key: string, payload: unknown, deleted: boolean): void {
  const s = statements(db);
  if (deleted) {
    s.deleteRemoteBooking.run(key);
    return;
  }
  const p = (payload ?? {}) as { doctor?: string; slot_start?: string; workstation_id?: string; confirmed_at?: string };
  const ms = typeof p.slot_start === 'string' ? Date.parse(p.slot_start) : NaN;
  if (!p.doctor || !Number.isFinite(ms)) return;
  s.upsertRemoteBooking.run({
    id: key,
    doctor: p.doctor,
    slot_start: p.slot_start,
    slot_ms: ms,
    ws: p.workstation_id ?? null,
    confirmed: p.confirmed_at ?? null,
  });
}
