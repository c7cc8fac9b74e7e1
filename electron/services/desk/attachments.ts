/**
 * Attachment to the organization (`attachments.*`): the documents checklist of the regulation, the district by the
 * address (or chosen by hand), the proposed doctor, and the talon with its verification code. One active
 * attachment per person is the database's rule; the detachment from the previous organization travels to the
 * centre with the attachment.
 */
import { createHash } from 'node:crypto';
import { DESK_SERVICES, type Attachment } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Specialty } from '../../../common/roles';
import { recordChange } from '../../../db/change';
import * as attachmentsDb from '../../../db/desk/attachments';
import * as districtsDb from '../../../db/desk/districts';
import type { RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { issueNumber } from '../numbers';
import { catalogOf } from '../workflow/context';
import { engineActor, orgToday } from '../workflow/app-engine';
import { fullName, isUnique, organization, requirePerson, runDeskRequest } from './common';
import { matchAddress, proposeDoctor } from './districts';
import { requireDoctor } from './doctors';
import { requestStartMs } from '../workflow/request-start';
import { actorOf } from '../auth';
import { changeVerificationStatus } from '../verification/records';

export function attachmentView(r: attachmentsDb.AttachmentRow): Attachment {
  return {
    id: r.id,
    talonNumber: r.talon_number,
    requestNumber: r.request_number,
    person: { iin: r.person_iin, name: fullName(r), birthDate: r.birth_date, address: r.address, phone: r.phone },
    district: { id: r.district_id, number: r.district_number, name: r.district_name },
    doctor:
      r.doctor_id !== null && r.doctor_name ? { id: r.doctor_id, fullName: r.doctor_name, specialty: r.specialty as Specialty } : null,
    documents: JSON.parse(r.documents) as string[],
    previousOrganization: r.previous_org,
    districtChosenByHand: r.district_by_hand === 1,
    status: r.status,
    attachedAt: r.attached_at,
    date: r.attached_day,
    verification: r.verification,
    createdBy: r.registrar,
  };
}

export function getAttachment(app: AppContext, id: number): Attachment {
  const r = attachmentsDb.getAttachmentRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no attachment ${id}`, { id });
  return attachmentView(r);
}

/** The talon's verification code: a digest of what the talon states, printed and put in its QR code. */
export function talonDigest(fields: { talon: string; bin: string; iin: string; district: string; date: string }): string {
  return createHash('sha256')
    .update([fields.talon, fields.bin, fields.iin, fields.district, fields.date].join('|'))
    .digest('hex')
    .slice(0, 16)
    .toUpperCase();
}

export interface AttachArgs {
  iin: string;
  documents: string[];
  districtId?: number | null;
  doctorId?: number | null;
  previousOrganization?: string | null;
  /** When the registrar began with the person (ISO time from the form); the request's clock starts then. */
  startedAt?: string | null;
}

/** `portal`: as for registerHomeVisit, the attachment of a citizen's e-request registered as a portal request. */
export function attach(app: AppContext, staff: StaffRow, a: AttachArgs, portal?: { request: RequestRow }): Attachment {
  const startedMs = portal ? undefined : requestStartMs(app, a.startedAt);
  const person = requirePerson(app, a.iin);
  const org = organization(app);
  const today = orgToday(app);
  const def = catalogOf(app).catalog.byId(DESK_SERVICES.attachment, org.region, today);
  if (!def)
    throw new ApiError('service-not-in-force', `no regulation of attachment is in force in ${org.region} today`, {
      service: 'attachment',
      region: org.region,
    });
  const already = attachmentsDb.activeAttachmentOf(app.db, person.iin);
  if (already) {
    throw new ApiError('already-attached', `${person.iin} is attached here already (talon ${already.talon_number})`, {
      talon: already.talon_number,
      district: already.district_number,
      since: already.attached_day,
    });
  }
  const known = new Set(def.documents.map((d) => d.id));
  const unknown = a.documents.filter((x) => !known.has(x));
  if (unknown.length) throw new ApiError('validation', `unknown documents: ${unknown.join(', ')}`, {}, ['documents']);
  const missing = def.documents.filter((d) => d.required && !a.documents.includes(d.id));
  if (missing.length) {
    throw new ApiError(
      'document-missing',
      `required documents missing: ${missing.map((m) => m.id).join(', ')}`,
      { documents: missing.map((m) => m.title[staff.language]).join('; '), ids: missing.map((m) => m.id).join(',') },
      ['documents'],
    );
  }
  let district: districtsDb.DistrictRow | undefined;
  const byHand = !!a.districtId;
  if (a.districtId) {
    district = districtsDb.getDistrictRow(app.db, a.districtId);
    if (!district) throw new ApiError('not-found', `no district ${a.districtId}`, { id: a.districtId }, ['districtId']);
  } else {
    district = matchAddress(app, person.address).match?.district;
    if (!district)
      throw new ApiError(
        'outside-districts',
        `the address "${person.address ?? ''}" is outside every district`,
        { address: person.address ?? '' },
        ['districtId'],
      );
  }
  let doctorId = a.doctorId ?? proposeDoctor(app, district, person.birthDate)?.id ?? null;
  if (doctorId !== null) doctorId = requireDoctor(app, doctorId).id;
  const now = app.clock();
  const previous = a.previousOrganization?.trim() || null;
  const dist = district;
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const req = portal?.request ?? runDeskRequest(app, staff, DESK_SERVICES.attachment, 'desk', person.iin, startedMs);
      const talon = issueNumber(app.db, org.workstationPrefix, 'talon');
      try {
        return attachmentsDb.insertAttachment(app.db, {
          talon_number: talon,
          request_id: req.id,
          person_iin: person.iin,
          district_id: dist.id,
          doctor_id: doctorId,
          district_by_hand: byHand ? 1 : 0,
          documents: JSON.stringify(a.documents),
          previous_org: previous,
          verification: talonDigest({ talon, bin: org.bin, iin: person.iin, district: dist.number, date: today }),
          attached_at: now.toISOString(),
          attached_day: today,
          created_by: staff.id,
        });
      } catch (e) {
        if (isUnique(e))
          throw new ApiError('already-attached', `${person.iin} was attached meanwhile`, { talon: '', district: '', since: today });
        throw e;
      }
    },
    {
      audit: (aid) => ({
        action: 'attachment.created',
        entity: 'attachment',
        entityId: aid,
        details: { district: dist.number, byHand, detachedFrom: previous, documents: a.documents },
      }),
      outbox: (aid) => {
        const r = attachmentsDb.getAttachmentRow(app.db, aid)!;
        return {
          kind: 'attachment.create',
          entity: 'attachment',
          entityId: r.talon_number,
          // The detachment from the previous organization travels with it: the centre closes that attachment.
          payload: {
            talon: r.talon_number,
            request: r.request_number,
            personIin: person.iin,
            district: dist.number,
            doctor: r.doctor_id,
            documents: a.documents,
            detachFrom: previous,
            attachedAt: r.attached_at,
            verification: r.verification,
          },
        };
      },
    },
  );
  return getAttachment(app, id);
}

/**
 * Detachment: the person leaves this organization (moved to another clinic, asked to be detached, or the attachment
 * was made in error). The attachment ends, and the talon's verification record is revoked in the same transaction,
 * so after the next sync the public page (/v/<talon>/<code>) says the talon is no longer valid (issue 19). The end
 * travels to the centre as `attachment.end`.
 */
export function endAttachment(app: AppContext, staff: StaffRow, a: { id: number; reason: string }): Attachment {
  const r = attachmentsDb.getAttachmentRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no attachment ${a.id}`, { id: a.id });
  const reason = a.reason.trim();
  if (!reason) throw new ApiError('validation', 'the reason of the detachment is required', {}, ['reason']);
  if (r.status !== 'active')
    throw new ApiError('attachment-ended', `attachment ${r.talon_number} has already ended`, { talon: r.talon_number });
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      if (!attachmentsDb.endAttachmentRow(app.db, r.id, now.toISOString(), reason))
        throw new ApiError('attachment-ended', `attachment ${r.talon_number} ended meanwhile`, { talon: r.talon_number });
      // A talon already printed says "revoked" on its page from the next sync; one never printed has no record yet
      // and gets "revoked" when it is printed (talonMark).
      changeVerificationStatus(app, actorOf(staff), r.talon_number, 'revoked', reason);
    },
    {
      audit: { action: 'attachment.ended', entity: 'attachment', entityId: r.id, details: { talon: r.talon_number, reason } },
      outbox: {
        kind: 'attachment.end',
        entity: 'attachment',
        entityId: r.talon_number,
        payload: { talon: r.talon_number, personIin: r.person_iin, endedAt: now.toISOString(), reason },
      },
    },
  );
  return getAttachment(app, r.id);
}
