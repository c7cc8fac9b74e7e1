/**
 * Condition 3 of an e-request: the grounds the regulation names, checked against the workstation's own data (the
 * population register, attachments, districts, the doctors' timetables) through the desk service, and the
 * 2-hours-before-closing cut-off of portal home-visit calls.
 */
import type { ErequestContent } from '../../../common/erequests';
import type { ServiceDefinition } from '../../../common/regulations';
import { dayNumberToIso, type WorkingCalendar } from '../../../common/working-calendar';
import { activeAttachmentOf } from '../../../db/desk/attachments';
import { findPersonByIin } from '../../../db/people';
import { findStaffByLogin } from '../../../db/staff';
import type { AppContext } from '../app';
import * as districts from '../desk/districts';
import * as freeSlots from '../desk/free-slots';
import { calendarOf } from '../workflow/context';
import type { Ground, Proposal } from './decisions';

function localTime(cal: WorkingCalendar, ms: number): string {
  const d = new Date(ms + cal.offsetAt(ms));
  return d.toISOString().slice(11, 16);
}

/**
 * The cut-off of clause 9: `portalCutoffMinutesBeforeClose` before the close of the day the request arrived (a
 * home visit only); null when it does not apply.
 */
export function cutoff(app: AppContext, def: ServiceDefinition, receivedMs: number): Ground | null {
  if (def.id !== 'home-visit' || !def.portalCutoffMinutesBeforeClose) return null;
  const cal = calendarOf(app);
  const day = cal.day(cal.localDayOf(receivedMs));
  if (!day.working) return { check: 'cutoff', ok: false, detail: `${dayNumberToIso(cal.localDayOf(receivedMs))} is not a working day` };
  const limit = day.close - def.portalCutoffMinutesBeforeClose * 60_000;
  const at = localTime(cal, receivedMs);
  return receivedMs <= limit
    ? { check: 'cutoff', ok: true, detail: `received ${at}, accepted until ${localTime(cal, limit)}` }
    : {
        check: 'cutoff',
        ok: false,
        detail: `received ${at}, after ${localTime(cal, limit)} (closing ${localTime(cal, day.close)} − ${def.portalCutoffMinutesBeforeClose} min)`,
      };
}

/**
 * The grounds of condition 3 for a request that is signed and in force: the person in the population register, then
 * per service: attached here (or not yet, for an attachment), the address in a district, the visit window or the
 * slot free. The proposal is what the journal entry would take if the registrar (or the rules) confirm.
 */
export function checkGrounds(app: AppContext, c: ErequestContent): { grounds: Ground[]; proposal: Proposal } {
  const out: Ground[] = [];
  const proposal: Proposal = {};
  const person = findPersonByIin(app.db, c.iin);
  out.push({
    check: 'person',
    ok: !!person,
    detail: person ? 'found in the population register' : 'not in the population register (ЖТ МДБ)',
  });
  if (!person) return { grounds: out, proposal };
  const attachment = activeAttachmentOf(app.db, c.iin);
  if (c.type === 'attachment') {
    out.push({
      check: 'not-attached-here',
      ok: !attachment,
      detail: attachment ? `already attached here (talon ${attachment.talon_number})` : 'not attached here yet',
    });
    const r = districts.resolveDistrict(app, { iin: c.iin });
    out.push({
      check: 'district',
      ok: !!r.district,
      detail: r.district
        ? `district ${r.district.number}`
        : `the address is ${r.problem === 'no-address' ? 'missing' : 'outside every district'}`,
    });
    proposal.districtId = r.district?.id ?? null;
    proposal.district = r.district?.number ?? null;
    proposal.doctorId = r.doctor?.id ?? null;
    proposal.doctor = r.doctor?.fullName ?? null;
    return { grounds: out, proposal };
  }
  out.push({
    check: 'attached',
    ok: !!attachment,
    detail: attachment ? `attached here, talon ${attachment.talon_number}` : 'not attached to this organization',
  });
  if (c.type === 'home-visit') {
    const r = districts.resolveDistrict(app, { iin: c.iin, address: c.address });
    out.push({
      check: 'district',
      ok: !!r.district,
      detail: r.district ? `district ${r.district.number}` : 'the address is outside every district',
    });
    out.push({
      check: 'slot',
      ok: !!(r.doctor && r.window),
      detail: r.doctor && r.window ? `${r.doctor.fullName}, ${r.window.from}–${r.window.to}` : 'no district doctor can visit today',
    });
    Object.assign(proposal, {
      districtId: r.district?.id ?? null,
      district: r.district?.number ?? null,
      doctorId: r.doctor?.id ?? null,
      doctor: r.doctor?.fullName ?? null,
      ...(r.window ? { visitDate: r.window.date, windowFrom: r.window.from, windowTo: r.window.to } : {}),
    });
  } else {
    const doctor = findStaffByLogin(app.db, c.doctor);
    const startMs = Date.parse(c.slotStart);
    let free = false;
    let detail = 'no such doctor';
    if (doctor && Number.isFinite(startMs)) {
      const cal = calendarOf(app);
      const date = dayNumberToIso(cal.localDayOf(startMs));
      const slots = freeSlots.searchFreeSlots(app, { doctorId: doctor.id, from: date, days: 1, limit: 500 }).slots;
      free = slots.some((s) => Date.parse(s.start) === startMs);
      detail = free
        ? `${doctor.full_name}, ${date} ${localTime(cal, startMs)} is free`
        : `${doctor.full_name}, ${date} ${localTime(cal, startMs)} is not a free slot`;
    }
    out.push({ check: 'slot', ok: free, detail });
    Object.assign(proposal, { doctorId: doctor?.id ?? null, doctor: doctor?.full_name ?? null, slotStart: c.slotStart });
  }
  return { grounds: out, proposal };
}
