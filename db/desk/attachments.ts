/**
 * Data access of attachments to a district (issue 4): attachment talons and a person's active attachment. Split out
 * of the former db/desk.ts (issue 12). Writers are called inside the service's recordChange transaction; nothing here
 * opens its own. Statements are prepared once per connection (db/statements.ts).
 */
import type { Db } from '../connection';
import { statementCache } from '../statements';

export interface NewAttachmentRow {
  talon_number: string;
  request_id: number;
  person_iin: string;
  district_id: number;
  doctor_id: number | null;
  district_by_hand: 0 | 1;
  documents: string;
  previous_org: string | null;
  verification: string;
  attached_at: string;
  attached_day: string;
  created_by: number;
}

export function insertAttachment(db: Db, row: NewAttachmentRow): number {
  return Number(attachmentStatements(db).insert.run(row).lastInsertRowid);
}

export interface AttachmentRow extends NewAttachmentRow {
  id: number;
  status: 'active' | 'ended';
  request_number: string;
  surname: string;
  given_name: string;
  patronymic: string | null;
  birth_date: string;
  address: string | null;
  phone: string | null;
  district_number: string;
  district_name: string;
  doctor_name: string | null;
  specialty: string | null;
  /** The registrar's full name (as printed on the talon and in the journals). */
  registrar: string;
}

/** The attachment with its request, person, district and doctor (also read by db/desk/journals.ts). */
export const ATTACHMENT_SELECT = `SELECT a.*, r.number AS request_number, p.surname, p.given_name, p.patronymic, p.birth_date, p.address, p.phone,
    ds.number AS district_number, ds.name AS district_name, d.full_name AS doctor_name, d.specialty, c.full_name AS registrar
  FROM attachment a
  JOIN service_request r ON r.id = a.request_id
  JOIN person p ON p.iin = a.person_iin
  JOIN district ds ON ds.id = a.district_id
  LEFT JOIN staff d ON d.id = a.doctor_id
  JOIN staff c ON c.id = a.created_by`;

const attachmentStatements = statementCache((db: Db) => ({
  insert: db.prepare(
    `INSERT INTO attachment (talon_number, request_id, person_iin, district_id, doctor_id, district_by_hand, documents, previous_org,
                             verification, attached_at, attached_day, created_by)
     VALUES (@talon_number, @request_id, @person_iin, @district_id, @doctor_id, @district_by_hand, @documents, @previous_org,
             @verification, @attached_at, @attached_day, @created_by)`,
  ),
  byId: db.prepare(`${ATTACHMENT_SELECT} WHERE a.id = ?`),
  activeOf: db.prepare(`${ATTACHMENT_SELECT} WHERE a.person_iin = ? AND a.status = 'active'`),
  end: db.prepare(`UPDATE attachment SET status = 'ended', ended_at = ?, end_reason = ? WHERE id = ? AND status = 'active'`),
})).get;

export function getAttachmentRow(db: Db, id: number): AttachmentRow | undefined {
  return attachmentStatements(db).byId.get(id) as AttachmentRow | undefined;
}

export function activeAttachmentOf(db: Db, iin: string): AttachmentRow | undefined {
  return attachmentStatements(db).activeOf.get(iin) as AttachmentRow | undefined;
}

/** Ends an active attachment (detachment); false when it was not active (ended meanwhile). */
export function endAttachmentRow(db: Db, id: number, endedAt: string, reason: string): boolean {
  return attachmentStatements(db).end.run(endedAt, reason, id).changes === 1;
}
