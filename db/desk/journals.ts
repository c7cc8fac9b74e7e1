/**
 * The front desk's journals (issue 4): entries made on local dates from..to, newest first, with a search over number,
 * IIN and surname key, read with the row shapes of db/desk/appointments.ts, home-visits.ts and attachments.ts. Split
 * out of the former db/desk.ts (issue 12). Statements are prepared once per connection (db/statements.ts).
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';
import { APPOINTMENT_SELECT, type AppointmentRow } from './appointments';
import { ATTACHMENT_SELECT, type AttachmentRow } from './attachments';
import { VISIT_SELECT, type HomeVisitRow } from './home-visits';

export interface JournalFilter {
  from: string;
  to: string;
  /** IIN prefix, number fragment or folded surname prefix. */
  text: string;
  surnameKey: string;
  status: string | null;
  doctorId: number | null;
  districtId: number | null;
  limit: number;
}

const SEARCH = (alias: string, numberCol: string) =>
  `(@text = '' OR ${alias}.person_iin LIKE @text || '%' OR ${numberCol} LIKE '%' || @text || '%' OR (@skey <> '' AND p.surname_key LIKE @skey || '%'))`;

function filterArgs(f: JournalFilter) {
  return {
    from: f.from,
    to: f.to,
    text: f.text,
    skey: f.surnameKey,
    status: f.status,
    doctor: f.doctorId,
    district: f.districtId,
    limit: f.limit,
  };
}

const journalStatements = statementCache((db: Db) => ({
  homeVisits: db.prepare(
    `${VISIT_SELECT} WHERE v.created_day BETWEEN @from AND @to AND ${SEARCH('v', 'v.number')}
       AND (@status IS NULL OR v.status = @status) AND (@doctor IS NULL OR v.doctor_id = @doctor) AND (@district IS NULL OR v.district_id = @district)
     ORDER BY v.id LIMIT @limit`,
  ),
  appointments: db.prepare(
    `${APPOINTMENT_SELECT} WHERE a.created_day BETWEEN @from AND @to AND ${SEARCH('a', 'a.number')}
       AND (@status IS NULL OR a.status = @status) AND (@doctor IS NULL OR a.doctor_id = @doctor)
       AND (@district IS NULL OR a.doctor_id IN (SELECT therapist_id FROM district WHERE id = @district UNION SELECT paediatrician_id FROM district WHERE id = @district UNION SELECT gp_id FROM district WHERE id = @district))
     ORDER BY a.id LIMIT @limit`,
  ),
  attachments: db.prepare(
    `${ATTACHMENT_SELECT} WHERE a.attached_day BETWEEN @from AND @to AND ${SEARCH('a', 'a.talon_number')}
       AND (@status IS NULL OR a.status = @status) AND (@doctor IS NULL OR a.doctor_id = @doctor) AND (@district IS NULL OR a.district_id = @district)
     ORDER BY a.id LIMIT @limit`,
  ),
})).get;

export function journalHomeVisits(db: Db, f: JournalFilter): HomeVisitRow[] {
  return journalStatements(db).homeVisits.all(filterArgs(f)) as HomeVisitRow[];
}

export function journalAppointments(db: Db, f: JournalFilter): AppointmentRow[] {
  return journalStatements(db).appointments.all(filterArgs(f)) as AppointmentRow[];
}

export function journalAttachments(db: Db, f: JournalFilter): AttachmentRow[] {
  return journalStatements(db).attachments.all(filterArgs(f)) as AttachmentRow[];
}

/** The desk journals a service's result is entered in, and the table holding each one's rows. */
const JOURNAL_TABLES = { 'home-visit-calls': 'home_visit', 'pre-registration': 'appointment', attachment: 'attachment' } as const;
export type DeskJournal = keyof typeof JOURNAL_TABLES;
export const DESK_JOURNALS = Object.keys(JOURNAL_TABLES) as DeskJournal[];

const entryStatements = statementCache((db: Db) =>
  Object.fromEntries(
    DESK_JOURNALS.map((j) => [j, db.prepare(`SELECT 1 FROM ${JOURNAL_TABLES[j]} WHERE request_id = ? LIMIT 1`).pluck(true)]),
  ),
).get;

/** Whether the request has its row in the desk journal (a home-visit call, an appointment, an attachment). */
export function hasJournalEntry(db: Db, journal: DeskJournal, requestId: number): boolean {
  return entryStatements(db)[journal]!.get(requestId) !== undefined;
}
