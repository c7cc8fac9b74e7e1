/**
 * Every migration run on a database with data in it, as Signal Desktop keeps its migration tests: a fresh SQLite
 * file brought to the previous version, representative rows in every table of that version, the migration, then
 * the rows compared column by column, the new tables filled with rows that point at the old ones, and
 * `foreign_key_check` and `integrity_check` clean. A migration added to db/migrations/index.ts without rows here
 * fails the first test.
 *
 * Then `EXPLAIN QUERY PLAN` of the hot queries (IIN look-up, name and IIN prefix search, free slots, the work
 * queue, the outbox queue, the pull page): the data-access functions of db/ run against a recording connection
 * that keeps each statement they execute with its parameters, and the plan of exactly that statement is checked, so
 * the test follows the code when a statement changes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nameKey } from '../../../common/text';
import { migrate, openDatabase, schemaVersion, type Db } from '../../../db/connection';
import { bookedPacked, bookedSlots } from '../../../db/desk/appointments';
import { MIGRATIONS } from '../../../db/migrations';
import { findPersonByIin, searchPeople } from '../../../db/people';
import { queueRows } from '../../../db/requests';
import { applyPulledPage, claimBatch } from '../../../db/sync';
import { tempDir } from '../../helpers/app';

const dirs: string[] = [];
const opened: Db[] = [];
afterEach(() => {
  opened.splice(0).forEach((db) => db.open && db.close());
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

/** A fresh database file with the first `version` migrations applied. */
function databaseAt(version: number): Db {
  const dir = tempDir('tirkeu-migrations-');
  dirs.push(dir);
  const { db } = openDatabase(path.join(dir, 'w.sqlite'), { migrations: MIGRATIONS.slice(0, version) });
  opened.push(db);
  expect(schemaVersion(db)).toBe(version);
  return db;
}

// ---------------------------------------------------------------------------------------------------------------
// Representative rows, per migration: rows for the tables that migration creates, pointing at earlier rows.

const T = '2025-03-03T04:00:00.000Z';
const T_MS = Date.parse(T);
const DONE = '2025-03-03T05:00:00.000Z';
const DONE_MS = Date.parse(DONE);
const DUE = '2025-03-06T13:00:00.000Z';
const DUE_MS = Date.parse(DUE);
const DAY = Math.floor(T_MS / 86_400_000);
const SLOT_MS = Date.parse('2025-03-04T04:00:00.000Z');

const ROWS: Record<number, string> = {
  1: `
    INSERT INTO organization VALUES (1, '123456789021', 'Емхана', 'Поликлиника', 'Clinic', 'astana', 'Asia/Almaty', 'Астана, Абай 1', 'A4');
    INSERT INTO staff (id, login, full_name, iin, role, specialty, password_hash, language, created_at, updated_at) VALUES
      (1, 'reg', 'Тіркеуші Айгүл', NULL, 'registrar', NULL, 'h1', 'kk', '${T}', '${T}'),
      (2, 'doc', 'Дәрігер Асқар', '800101300111', 'physician', 'therapist', 'h2', 'ru', '${T}', '${T}'),
      (3, 'cash', 'Кассир Ерлан', NULL, 'cashier', NULL, 'h3', 'kk', '${T}', '${T}');
    INSERT INTO person (iin, surname, given_name, patronymic, birth_date, sex, address, phone, source, surname_key, given_key,
                        patronymic_key, updated_at) VALUES
      ('900101300123', 'Ахметов', 'Асқар', 'Серікұлы', '1990-01-01', 'M', 'Абай 10', '+77010000000', 'register', '${nameKey('Ахметов')}', '${nameKey('Асқар')}', '${nameKey('Серікұлы')}', '${T}'),
      ('950505400456', 'Иванова', 'Мария', NULL, '1995-05-05', 'F', NULL, NULL, 'manual', '${nameKey('Иванова')}', '${nameKey('Мария')}', '', '${T}');
    INSERT INTO audit_log (id, at, staff_id, staff_login, role, action, entity, entity_id, details, prev_hash, hash)
      VALUES (1, '${T}', 1, 'reg', 'registrar', 'person.create', 'person', '950505400456', '{}', '00', 'a1');
    INSERT INTO outbox (id, op_id, kind, entity, entity_id, payload, created_at, status) VALUES
      (1, 'op-1', 'person.upsert', 'person', '950505400456', '{"iin":"950505400456"}', '${T}', 'pending'),
      (2, 'op-2', 'audit.append', 'audit', '1', '{}', '${T}', 'applied');
    INSERT INTO setting VALUES ('workstation.code', '"A4"');`,
  2: `
    INSERT INTO service_request (id, number, definition_key, service_id, region, channel, person_iin, anonymous_code, fee_kzt, status,
                                 current_step, created_at, created_ms, created_day, created_by, deadline_at, deadline_ms, closed_at, closed_ms) VALUES
      (1, 'A4-000001', 'astana/home-visit@2024-01-01', 'home-visit', 'astana', 'phone', '900101300123', NULL, 0, 'open', 'register',
       '${T}', ${T_MS}, ${DAY}, 1, '${DUE}', ${DUE_MS}, NULL, NULL),
      (2, 'A4-000002', 'astana/certificate@2024-01-01', 'certificate', 'astana', 'desk', '950505400456', NULL, 1500, 'done', NULL,
       '${T}', ${T_MS}, ${DAY}, 1, '${DUE}', ${DUE_MS}, '${DONE}', ${DONE_MS}),
      (3, 'A4-000003', 'astana/hiv-test@2024-01-01', 'hiv-test', 'astana', 'desk', NULL, 'K7Q2M9', 0, 'open', 'sample',
       '${T}', ${T_MS}, ${DAY}, 1, '${DUE}', ${DUE_MS}, NULL, NULL);
    INSERT INTO request_step (id, request_id, seq, step_id, service_id, role, specialty, started_at, started_ms, started_day, deadline_at,
                              deadline_ms, completed_at, completed_ms, completed_by, completed_login, completed_role, outcome) VALUES
      (1, 1, 1, 'register', 'home-visit', 'registrar', NULL, '${T}', ${T_MS}, ${DAY}, '${DUE}', ${DUE_MS}, NULL, NULL, NULL, NULL, NULL, NULL),
      (2, 2, 1, 'issue', 'certificate', 'physician', 'therapist', '${T}', ${T_MS}, ${DAY}, '${DUE}', ${DUE_MS}, '${DONE}', ${DONE_MS}, 2, 'doc', 'physician', 'done'),
      (3, 3, 1, 'sample', 'hiv-test', 'nurse', NULL, '${T}', ${T_MS}, ${DAY}, '${DUE}', ${DUE_MS}, NULL, NULL, NULL, NULL, NULL, NULL);
    INSERT INTO sequence VALUES ('request', 3);
    INSERT INTO regulation_file (id, file, content, imported_at, imported_by) VALUES (1, 'astana-2025.json', '{}', '${T}', 1);
    INSERT INTO service_survey (id, request_id, service_id, q1, q2, source, recorded_at, recorded_ms, recorded_by)
      VALUES (1, 2, 'certificate', 'satisfied', 'partly-satisfied', 'desk', '${DONE}', ${DONE_MS}, 1);`,
  3: `
    INSERT INTO outbox (id, op_id, kind, entity, entity_id, payload, created_at, batch_id, status, received_at)
      VALUES (3, 'op-b1', 'booking.create', 'booking', 'b-1', '{}', '${T}', 'batch-1', 'claimed', NULL);
    INSERT INTO sync_batch VALUES ('batch-1', '${T}', 1, 2, 1);
    INSERT INTO sync_reference VALUES ('staff', 'doc', '{"login":"doc"}', '${T}');
    INSERT INTO sync_issue (id, op_id, kind, entity, entity_id, status, code, message, created_at)
      VALUES (1, 'op-x', 'person.upsert', 'person', '1', 'rejected', 'invalid', 'bad IIN', '${T}');
    INSERT INTO booking (id, booking_id, doctor, slot_start, patient_iin, patient_name, phone, status, op_id, created_at)
      VALUES (1, 'b-1', 'doc', '2025-03-04T09:00', '900101300123', 'Ахметов Асқар', NULL, 'provisional', 'op-b1', '${T}');`,
  4: `
    INSERT INTO district (id, number, name, therapist_id, paediatrician_id, gp_id, updated_at) VALUES (1, '01', 'Бірінші учаске', 2, NULL, NULL, '${T}');
    INSERT INTO district_address (id, district_id, position, street, street_key, house_from, house_to, parity)
      VALUES (1, 1, 1, 'Абай даңғылы', '${nameKey('Абай даңғылы')}', 1, 99, 'odd');
    INSERT INTO timetable VALUES (2, '{"days":[]}', '101', '${T}', 1);
    INSERT INTO timetable_exception (id, doctor_id, kind, date_from, date_to, created_at, created_by) VALUES (1, 2, 'leave', '2025-04-01', '2025-04-14', '${T}', 1);
    INSERT INTO home_visit (id, number, request_id, channel, person_iin, address, complaint, caller, district_id, doctor_id, visit_date,
                            window_from, window_to, created_at, created_day, created_by)
      VALUES (1, 'HV-000001', 1, 'phone', '900101300123', 'Абай 10', 'қызу', 'self', 1, 2, '2025-03-03', '10:00', '14:00', '${T}', '2025-03-03', 1);
    INSERT INTO appointment (id, number, request_id, kind, channel, person_iin, doctor_id, slot_start, slot_ms, slot_end_ms, slot_date,
                             sync_booking, created_at, created_day, created_by)
      VALUES (1, 'AP-000001', 1, 'appointment', 'desk', '900101300123', 2, '2025-03-04T09:00', ${SLOT_MS}, ${SLOT_MS + 900_000}, '2025-03-04',
              'b-1', '${T}', '2025-03-03', 1);
    INSERT INTO attachment (id, talon_number, request_id, person_iin, district_id, doctor_id, district_by_hand, documents, status, verification,
                            attached_at, attached_day, created_by)
      VALUES (1, 'T-000001', 1, '900101300123', 1, 2, 0, '[]', 'active', '{}', '${T}', '2025-03-03', 1);`,
  5: `
    INSERT INTO register_entry VALUES ('tb', '900101300123', '2020-01-01', NULL, 'import', '${T}');
    INSERT INTO register_import (id, register, file_name, imported_at, imported_by, total, accepted, rejected) VALUES (1, 'tb', 'tb.csv', '${T}', 1, 1, 1, 0);
    INSERT INTO register_check (id, register, iin, request_id, found, from_date, removed_on, checked_at, checked_by, checked_login)
      VALUES (1, 'tb', '900101300123', 2, 1, '2020-01-01', NULL, '${T}', 1, 'reg');
    INSERT INTO price_list (id, service_id, fee_kzt, effective_from, created_at, created_by) VALUES (1, 'certificate', 1500, '2025-01-01', '${T}', 1);
    INSERT INTO cash_shift (id, number, cashier_id, opened_at) VALUES (1, 'S-0001', 3, '${T}');
    INSERT INTO cash_entry (id, receipt_no, shift_id, kind, request_id, service_id, amount_kzt, method, voids_id, reason, created_at, created_by) VALUES
      (1, 'R-000001', 1, 'payment', 2, 'certificate', 1500, 'cash', NULL, NULL, '${T}', 3),
      (2, 'R-000002', 1, 'void', 2, 'certificate', -1500, 'cash', 1, 'wrong amount', '${T}', 3);
    INSERT INTO certificate (id, number, request_id, service_id, document, hash, signatures_required, created_at, issued_at)
      VALUES (1, 'C-000001', 2, 'certificate', '{}', 'h', 1, '${T}', '${DONE}');
    INSERT INTO certificate_signature (id, certificate_id, seq, step_id, role, staff_id, signer_name, certificate_serial, cms, signed_at)
      VALUES (1, 1, 1, 'issue', 'physician', 2, 'Дәрігер Асқар', '01AB', X'3080', '${DONE}');
    INSERT INTO hiv_test (request_id, code, mode, sample_no, drawn_at) VALUES (3, 'K7Q2M9', 'anonymous', 'S-1', '${T}');`,
  6: `
    INSERT INTO erequest (id, number, citizen_ref, service_type, iin, received_at, pulled_at, cms, status, request_id, registered_as, updated_at)
      VALUES (1, 'E-000001', 'portal-1', 'home-visit', '900101300123', '${T}', '${T}', X'3080', 'awaiting-registrar', 1, 'A4-000001', '${T}');
    INSERT INTO trust_file (id, name, kind, der, added_at, added_by) VALUES (1, 'root.cer', 'ca-certificate', X'3082', '${T}', 1);`,
  7: `
    INSERT INTO remote_booking (booking_id, doctor, slot_start, slot_ms, workstation_id, confirmed_at)
      VALUES ('b-1', 'therapist', '2025-03-04T09:15:00.000Z', ${SLOT_MS + 900_000}, 'ws-0a1b2c', '${T}');`,
  8: `
    INSERT INTO erequest_lease (number, state, holder, holder_name, lease_until, reason, updated_at)
      VALUES ('E-000001', 'taken', 'ws-0a1b2c', 'desk 2', '${DONE}', NULL, '${T}');`,
  9: `
    INSERT INTO fee_exemption (id, receipt_no, request_id, service_id, reason, waived_kzt, created_at, created_by)
      VALUES (1, 'R-000009', 1, 'certificate', 'veteran', 1000, '${T}', 3);`,
  // 0010 replaces an index with a trigger on cash_entry; the rows of 0005 already exercise it.
  10: ``,
  11: `
    INSERT INTO desk_scan (id, staff_id, service_id, document_id, file_name, media_type, size, sha256, bytes, added_at, request_id)
      VALUES (1, 1, 'home-visit', 'identity-document', 'id.png', 'image/png', 8, 'ab', X'89504E470D0A1A0A', '${T}', 1),
             (2, 1, 'home-visit', 'identity-document', 'draft.pdf', 'application/pdf', 5, 'cd', X'255044462D', '${T}', NULL);
    INSERT INTO desk_form (request_id, step_id, document, hash, cms, staff_id, signer_name, certificate_serial, signed_at)
      VALUES (1, 'desk-form-sign', '{}', 'ef', X'3080', 1, 'Тіркеуші', '01', '${T}');`,
  12: `
    INSERT INTO service_survey (request_id, service_id, q1, q2, source, recorded_at, recorded_ms, recorded_by)
      VALUES (1, 'certificate', 'not-satisfied', 'satisfied', 'portal', '${DONE}', ${DONE_MS}, NULL);`,
  13: `
    INSERT INTO regulation_adoption (key, payload, updated_at) VALUES ('astana/106-1923', '{"key":"astana/106-1923"}', '${T}');`,
  14: `
    INSERT INTO desk_refusal (request_id, ground, person_name, note, created_at, created_by)
      VALUES (1, 'person-not-found', 'Ахметов Асқар', NULL, '${T}', 1);`,
  15: `
    INSERT INTO step_journal_entry (id, journal, request_id, step_id, service_id, person_iin, entered_at, entered_by)
      VALUES (1, 'certificate-issuance', 1, 'journal-entry', 'tb-certificate', '900101300123', '${T}', 1);`,
  16: `
    INSERT INTO person (iin, surname, given_name, patronymic, birth_date, sex, source, surname_key, given_key, patronymic_key,
                        updated_at, surname_exact, given_exact, patronymic_exact)
      VALUES ('800101300111', 'Әлімжанов', 'Асқар', NULL, '1980-01-01', 'M', 'manual', '${nameKey('Әлімжанов')}', '${nameKey('Асқар')}', '',
              '${T}', 'әлімжанов', 'асқар', '');`,
  17: `
    INSERT INTO document_verification (number, kind, code, shows, status, issued_at, request_id, person_iin, created_at)
      VALUES ('D1-T000001', 'talon', '0123456789ABCDEF', '{}', 'valid', '${T}', 1, '900101300123', '${T}');`,
};

/** What each migration must do to or with the data beyond keeping it (run after its own rows are in). */
const AFTER: Record<number, (db: Db) => void> = {
  2: (db) => {
    // The roll-up triggers count the closed request and the completed step inserted above.
    expect(db.prepare('SELECT day, service_id, n, on_time, late FROM request_rollup').all()).toEqual([
      { day: DAY, service_id: 'certificate', n: 1, on_time: 1, late: 0 },
    ]);
    expect(db.prepare('SELECT step_id, n, on_time FROM step_rollup').all()).toEqual([{ step_id: 'issue', n: 1, on_time: 1 }]);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
  },
  3: (db) => {
    // The added column is empty on the rows written before it.
    expect(db.prepare('SELECT id, status, received_at FROM outbox WHERE id <= 2 ORDER BY id').all()).toEqual([
      { id: 1, status: 'pending', received_at: null },
      { id: 2, status: 'applied', received_at: null },
    ]);
  },
  4: (db) => {
    const again = `INSERT INTO appointment (number, request_id, kind, channel, person_iin, doctor_id, slot_start, slot_ms, slot_end_ms, slot_date,
                     created_at, created_day, created_by)
                   VALUES ('AP-000002', 2, 'appointment', 'desk', '950505400456', 2, '2025-03-04T09:00', ${SLOT_MS}, ${SLOT_MS + 900_000},
                     '2025-03-04', '${T}', '2025-03-03', 1)`;
    expect(() => db.prepare(again).run()).toThrow(/UNIQUE constraint failed/);
  },
  5: (db) => {
    const pay = `INSERT INTO cash_entry (receipt_no, shift_id, kind, request_id, service_id, amount_kzt, method, created_at, created_by)
                 VALUES ('R-000003', 1, 'payment', 2, 'certificate', 1500, 'card', '${T}', 3)`;
    expect(() => db.prepare(pay).run()).toThrow(/UNIQUE constraint failed/);
  },
  7: (db) => {
    // Exceptions written before the migration got a key every desk can agree on, unique.
    const uids = db.prepare(`SELECT uid FROM timetable_exception`).pluck(true).all() as string[];
    expect(uids.length).toBeGreaterThan(0);
    uids.forEach((u) => expect(u).toMatch(/^[0-9a-f]{32}$/));
    const copy = `INSERT INTO timetable_exception (doctor_id, kind, date_from, date_to, created_at, uid) VALUES (2, 'sick', '2025-05-01', '2025-05-01', '${T}', ?)`;
    expect(() => db.prepare(copy).run(uids[0])).toThrow(/UNIQUE/);
  },
  8: (db) => {
    expect(() =>
      db.prepare(`INSERT INTO erequest_lease (number, state, updated_at) VALUES ('E-000002', 'borrowed', '${T}')`).run(),
    ).toThrow(/CHECK constraint failed/);
  },
  9: (db) => {
    const free = `INSERT INTO fee_exemption (receipt_no, request_id, service_id, reason, waived_kzt, created_at, created_by)
                  VALUES ('R-000010', 2, 'certificate', 'my-friend', 1000, '${T}', 3)`;
    expect(() => db.prepare(free).run()).toThrow(/CHECK constraint failed/);
    expect(() => db.prepare(`DELETE FROM fee_exemption`).run()).toThrow(/append-only/);
  },
  11: (db) => {
    // A scan attached to a certified form is part of what was signed; a draft may still be removed.
    expect(() => db.prepare(`UPDATE desk_scan SET bytes = X'00' WHERE id = 1`).run()).toThrow(/signed form/);
    expect(() => db.prepare(`DELETE FROM desk_scan WHERE id = 1`).run()).toThrow(/signed form/);
    expect(() => db.prepare(`UPDATE desk_form SET hash = 'x'`).run()).toThrow(/append-only/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO desk_scan (staff_id, service_id, document_id, file_name, media_type, size, sha256, bytes, added_at)
      VALUES (1, 's', 'd', 'a.gif', 'image/gif', 3, 'x', X'474946', '${T}')`,
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
    db.prepare(`DELETE FROM desk_scan WHERE id = 2`).run();
  },
  12: (db) => {
    // The desk's earlier answer kept; a source other than desk, kiosk or portal refused; one survey per request.
    expect(db.prepare(`SELECT request_id, source FROM service_survey ORDER BY request_id`).all()).toEqual([
      { request_id: 1, source: 'portal' },
      { request_id: 2, source: 'desk' },
    ]);
    const fax = `INSERT INTO service_survey (request_id, service_id, q1, q2, source, recorded_at, recorded_ms) VALUES (3, 'c', 'satisfied', 'satisfied', 'fax', '${T}', ${T_MS})`;
    expect(() => db.prepare(fax).run()).toThrow(/CHECK constraint failed/);
  },
  6: (db) => {
    db.prepare(`UPDATE erequest SET answer_kind = 'result', answered_at = '${DONE}' WHERE id = 1`).run();
    expect(() => db.prepare(`UPDATE erequest SET status = 'done' WHERE id = 1`).run()).toThrow(/cannot change/);
  },
  16: (db) => {
    // The people already there get their names as written (Unicode lower case, Kazakh letters kept).
    expect(db.prepare(`SELECT iin, surname_exact, given_exact, patronymic_exact FROM person ORDER BY iin`).all()).toEqual([
      { iin: '800101300111', surname_exact: 'әлімжанов', given_exact: 'асқар', patronymic_exact: '' },
      { iin: '900101300123', surname_exact: 'ахметов', given_exact: 'асқар', patronymic_exact: 'серікұлы' },
      { iin: '950505400456', surname_exact: 'иванова', given_exact: 'мария', patronymic_exact: '' },
    ]);
  },
};

// ---------------------------------------------------------------------------------------------------------------

interface TableSnapshot {
  columns: string[];
  rows: string[];
}

/** Every table's columns and rows (as sorted JSON: WITHOUT ROWID tables have no rowid to order by). */
function snapshot(db: Db): Map<string, TableSnapshot> {
  const tables = db
    .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
    .pluck()
    .all() as string[];
  return new Map(
    tables.map((t) => {
      const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).map((c) => `"${c}"`);
      return [t, { columns, rows: rowsOf(db, t, columns) }];
    }),
  );
}

function rowsOf(db: Db, table: string, columns: string[]): string[] {
  return db
    .prepare(`SELECT ${columns.join(', ')} FROM "${table}"`)
    .raw()
    .all()
    .map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
    .sort();
}

function expectClean(db: Db): void {
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
}

describe('migrations on databases with data', () => {
  it('every listed migration has representative rows here', () => {
    expect(Object.keys(ROWS).map(Number)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it.each(MIGRATIONS.map((m) => [`${String(m.version).padStart(4, '0')}-${m.name}`, m.version] as const))(
    '%s keeps the rows of the previous version and takes rows that point at them',
    (_name, version) => {
      const db = databaseAt(version - 1);
      for (let v = 1; v < version; v++) db.exec(ROWS[v]!);
      expectClean(db);
      const before = snapshot(db);
      expect(
        [...before].filter(([, t]) => t.rows.length === 0).map(([name]) => name),
        'tables of the previous version without rows',
      ).toEqual([]);

      expect(migrate(db, MIGRATIONS.slice(0, version))).toBe(version);
      expect(schemaVersion(db)).toBe(version);
      for (const [table, old] of before) expect(rowsOf(db, table, old.columns), table).toEqual(old.rows);

      db.exec(ROWS[version]!);
      AFTER[version]?.(db);
      expectClean(db);
      const after = snapshot(db);
      expect(
        [...after].filter(([name, t]) => !before.has(name) && t.rows.length === 0).map(([name]) => name),
        'new tables without rows',
      ).toEqual([]);
    },
  );

  it('a database migrated one version at a time with data ends with the schema of a fresh one', () => {
    const stepwise = databaseAt(0);
    for (const m of MIGRATIONS) {
      migrate(stepwise, MIGRATIONS.slice(0, m.version));
      stepwise.exec(ROWS[m.version]!);
    }
    const schema = (db: Db) => db.prepare(`SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name`).all();
    expect(schema(stepwise)).toEqual(schema(databaseAt(MIGRATIONS.length)));
    expectClean(stepwise);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Query plans of the hot queries

interface Executed {
  source: string;
  params: unknown[];
}

/** Wraps `db.prepare` so that every statement run through it is recorded with its parameters. */
function recordStatements(db: Db): { take(): Executed[]; plan(e: Executed): string[] } {
  const prepare = db.prepare.bind(db);
  const executed: Executed[] = [];
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    const calls = statement as unknown as Record<'get' | 'all' | 'run' | 'iterate', (...params: unknown[]) => unknown>;
    for (const name of ['get', 'all', 'run', 'iterate'] as const) {
      const method = calls[name].bind(statement);
      calls[name] = (...params: unknown[]) => {
        executed.push({ source, params });
        return method(...params);
      };
    }
    return statement;
  }) as Db['prepare'];
  return {
    take: () => executed.splice(0),
    plan: (e) => (prepare(`EXPLAIN QUERY PLAN ${e.source}`).all(...e.params) as Array<{ detail: string }>).map((r) => r.detail),
  };
}

interface HotQuery {
  name: string;
  run: (db: Db) => unknown;
  /** Each must match a line of the plans of the statements the call executed. */
  uses: RegExp[];
  /** Tables a full scan is fine for (at most a row or two); any other `SCAN x` without an index fails. */
  scans?: string[];
  /** The order comes from the index: no temporary B-tree. */
  noSort?: boolean;
}

const HOT_QUERIES: HotQuery[] = [
  {
    name: 'IIN look-up',
    run: (db) => findPersonByIin(db, '900101300123'),
    uses: [/^SEARCH person USING (COVERING )?INDEX sqlite_autoindex_person_1 \(iin=\?\)$/],
  },
  {
    name: 'IIN prefix search',
    run: (db) => searchPeople(db, '9001', 20),
    uses: [/^SEARCH person USING (COVERING )?INDEX sqlite_autoindex_person_1 \(iin>\? AND iin<\?\)$/],
    noSort: true,
  },
  {
    name: 'surname prefix search',
    run: (db) => searchPeople(db, 'Ахм', 20),
    uses: [/^SEARCH person USING INDEX person_by_name \(surname_key>\? AND surname_key<\?\)$/],
    noSort: true,
  },
  {
    name: 'surname prefix search, Kazakh letters as typed first',
    run: (db) => searchPeople(db, 'Әлі', 20),
    uses: [
      /^SEARCH person USING INDEX person_by_exact_name \(surname_exact>\? AND surname_exact<\?\)$/,
      /^SEARCH person USING INDEX person_by_name \(surname_key>\? AND surname_key<\?\)$/,
    ],
    noSort: true,
  },
  {
    name: 'surname and given-name prefix search, as typed (skip scan)',
    run: (db) => searchPeople(db, 'Әлі Ас', 20),
    uses: [
      /^SEARCH person USING (COVERING )?INDEX person_by_exact_name \(surname_exact>\? AND surname_exact<\?\)$/,
      /^SEARCH person USING INDEX person_by_exact_name \(surname_exact=\? AND given_exact>\? AND given_exact<\?\)$/,
    ],
    noSort: true,
  },
  {
    name: 'surname and given-name prefix search (skip scan)',
    run: (db) => searchPeople(db, 'Ахм Ас', 20),
    uses: [
      /^SEARCH person USING (COVERING )?INDEX person_by_name \(surname_key>\? AND surname_key<\?\)$/,
      /^SEARCH person USING INDEX person_by_name \(surname_key=\? AND given_key>\? AND given_key<\?\)$/,
    ],
    noSort: true,
  },
  {
    name: 'free slots of every doctor',
    run: (db) => bookedPacked(db, null, SLOT_MS - 86_400_000, SLOT_MS + 86_400_000),
    uses: [/^SEARCH appointment USING COVERING INDEX appointment_\w+ \(slot_ms>\? AND slot_ms<\?\)$/],
  },
  {
    name: 'free slots of one doctor',
    run: (db) => bookedPacked(db, 2, SLOT_MS - 86_400_000, SLOT_MS + 86_400_000),
    uses: [/^SEARCH appointment USING COVERING INDEX appointment_\w+ \(doctor_id=\? AND slot_ms>\? AND slot_ms<\?\)$/],
  },
  {
    name: 'booked slots with names (timetable week)',
    run: (db) => bookedSlots(db, 2, SLOT_MS - 86_400_000, SLOT_MS + 86_400_000),
    uses: [
      /^SEARCH a USING (COVERING )?INDEX appointment_\w+ \(doctor_id=\? AND slot_ms>\? AND slot_ms<\?\)$/,
      /^SEARCH p USING INDEX sqlite_autoindex_person_1 \(iin=\?\)$/,
    ],
  },
  {
    // The partial index holds open steps only: the queue reads those, never the step history.
    name: 'work queue of a role',
    run: (db) => queueRows(db, { role: 'registrar', specialty: null, limit: 50 }),
    uses: [/^(SCAN|SEARCH) st USING INDEX request_step_open\b/, /^SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)$/],
  },
  {
    name: 'work queue of the supervisor (every role)',
    run: (db) => queueRows(db, { role: null, specialty: null, limit: 50 }),
    uses: [/^(SCAN|SEARCH) st USING INDEX request_step_open\b/],
  },
  {
    name: 'outbox queue (claiming a push batch)',
    run: (db) => claimBatch(db, 100, 1_000_000, new Date(T)),
    uses: [/^SEARCH outbox USING INDEX outbox_pending \(status=\?\)$/],
    scans: ['sync_batch'],
  },
  {
    name: 'pull page (applying rows and the cursor)',
    run: (db) =>
      applyPulledPage(
        db,
        [
          { kind: 'ca-certificate', key: 'root', payload: { pem: 'x' }, deleted: false },
          { kind: 'crl', key: 'old', payload: null, deleted: true },
          { kind: 'booking', key: 'b-2', payload: null, deleted: true },
          { kind: 'staff', key: 'doc', payload: { fullName: 'Дәрігер', role: 'registrar' }, deleted: false },
        ],
        'cursor-2',
        new Date(T),
      ),
    uses: [
      /^SEARCH sync_reference USING PRIMARY KEY \(kind=\? AND key=\?\)$/,
      /^SEARCH remote_booking USING INDEX sqlite_autoindex_remote_booking_1 \(booking_id=\?\)$/,
      /^SEARCH outbox USING INDEX outbox_pending \(status=\?\)$/,
      /^SEARCH staff USING INDEX sqlite_autoindex_staff_1 \(login=\?\)$/,
    ],
  },
];

describe('query plans of the hot queries', () => {
  const setUp = () => {
    const db = databaseAt(MIGRATIONS.length);
    for (const m of MIGRATIONS) db.exec(ROWS[m.version]!);
    db.exec('DELETE FROM sync_batch'); // a saved batch would be resent as it is, without reading the outbox
    return db;
  };

  it.each(HOT_QUERIES.map((q) => [q.name, q] as const))('%s uses its index', (_name, q) => {
    const db = setUp();
    const recorder = recordStatements(db);
    q.run(db);
    const executed = recorder.take();
    expect(executed.length, 'statements executed').toBeGreaterThan(0);
    const plans = executed.map((e) => ({ sql: e.source.replace(/\s+/g, ' ').trim(), plan: recorder.plan(e) }));
    const lines = plans.flatMap((p) => p.plan);
    for (const pattern of q.uses)
      expect(lines, `no plan line matches ${pattern}: ${JSON.stringify(plans, null, 1)}`).toContainEqual(expect.stringMatching(pattern));
    const fullScans = lines.filter((l) => /^SCAN \w+$/.test(l) && !(q.scans ?? []).includes(l.slice(5)));
    expect(fullScans, JSON.stringify(plans, null, 1)).toEqual([]);
    if (q.noSort)
      expect(
        lines.filter((l) => l.includes('TEMP B-TREE')),
        JSON.stringify(plans, null, 1),
      ).toEqual([]);
  });
});
