/**
 * Condition 3 of an e-request: the grounds the regulation names, checked against the workstation's own data (the
 * population register, attachments, districts, the doctors' timetables) through the desk service, and the cut-off
 * before closing. Which grounds a service checks is the regulation's data (`portalAnswering.grounds`); the code
 * keeps one checker per ground kind. Every result carries its detail as a code with parameters, rendered through
 * i18n on the registrar's screen, and the same in English for the log and the rules' refusal reasons.
 *
 * Every time is the gateway's receipt of the request (the citizen applied then), never when this desk processes
 * it: the cut-off, the day of the visit ("rendered on the day of the application", Astana appendices 1 and 3, cl. 9).
 */
import type { ErequestContent } from '../../../common/erequests';
import type { GroundDetailCode, GroundKind } from '../../../common/portal-answering';
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
 * The cut-off of clause 9: `portalCutoffMinutesBeforeClose` before the close of the day the request was received,
 * for every service whose definition declares it and for none that doesn't; null when it does not apply.
 */
export function cutoff(app: AppContext, def: ServiceDefinition, receivedMs: number): Ground | null {
  const minutes = def.portalCutoffMinutesBeforeClose;
  if (!minutes) return null;
  const cal = calendarOf(app);
  const date = dayNumberToIso(cal.localDayOf(receivedMs));
  const day = cal.day(cal.localDayOf(receivedMs));
  if (!day.working) return { check: 'cutoff', ok: false, code: 'cutoff-day-off', params: { date }, detail: `${date} is not a working day` };
  const limit = day.close - minutes * 60_000;
  const at = localTime(cal, receivedMs);
  const params = { date, at, until: localTime(cal, limit), close: localTime(cal, day.close), minutes };
  return receivedMs <= limit
    ? { check: 'cutoff', ok: true, code: 'cutoff-ok', params, detail: `received ${at}, accepted until ${params.until}` }
    : {
        check: 'cutoff',
        ok: false,
        code: 'cutoff-late',
        params,
        detail: `received ${at}, after ${params.until} (closing ${params.close} − ${minutes} min)`,
      };
}

/** What one checker sees: the request, its person's IIN known to be in the register, and when it was received. */
interface GroundInput {
  app: AppContext;
  content: ErequestContent;
  receivedMs: number;
  proposal: Proposal;
}

type Checked = Omit<Ground, 'check' | 'title'>;
type Checker = (x: GroundInput) => Checked;

const result = (ok: boolean, code: GroundDetailCode, detail: string, params?: Ground['params']): Checked =>
  params ? { ok, code, params, detail } : { ok, code, detail };

const CHECKERS: Record<Exclude<GroundKind, 'person'>, Checker> = {
  attached({ app, content }) {
    const a = activeAttachmentOf(app.db, content.iin);
    return a
      ? result(true, 'attached', `attached here, talon ${a.talon_number}`, { talon: a.talon_number })
      : result(false, 'not-attached', 'not attached to this organization');
  },

  'not-attached-here'({ app, content }) {
    const a = activeAttachmentOf(app.db, content.iin);
    return a
      ? result(false, 'already-attached', `already attached here (talon ${a.talon_number})`, { talon: a.talon_number })
      : result(true, 'not-attached-yet', 'not attached here yet');
  },

  district({ app, content, proposal }) {
    const r = districts.resolveDistrict(app, { iin: content.iin, address: content.type === 'home-visit' ? content.address : null });
    Object.assign(proposal, {
      districtId: r.district?.id ?? null,
      district: r.district?.number ?? null,
      doctorId: r.doctor?.id ?? null,
      doctor: r.doctor?.fullName ?? null,
    });
    if (r.district) return result(true, 'district', `district ${r.district.number}`, { number: r.district.number });
    return r.problem === 'no-address'
      ? result(false, 'address-missing', 'the address is missing')
      : result(false, 'address-outside', 'the address is outside every district');
  },

  /**
   * A district doctor's visit window on the day the request was received. When that day has passed (the desk was
   * offline), the ground fails and holds the request for the registrar: it is overdue, not silently moved; the
   * proposal then offers today's window for the registrar to confirm or refuse.
   */
  'visit-window'({ app, content, receivedMs, proposal }) {
    const cal = calendarOf(app);
    const day = dayNumberToIso(cal.localDayOf(receivedMs));
    const today = dayNumberToIso(cal.localDayOf(app.clock().getTime()));
    const address = content.type === 'home-visit' ? content.address : null;
    const passed = day < today;
    const r = districts.resolveDistrict(app, { iin: content.iin, address, day: passed ? today : day });
    Object.assign(proposal, {
      districtId: r.district?.id ?? null,
      district: r.district?.number ?? null,
      doctorId: r.doctor?.id ?? null,
      doctor: r.doctor?.fullName ?? null,
      ...(r.window ? { visitDate: r.window.date, windowFrom: r.window.from, windowTo: r.window.to } : {}),
    });
    if (passed) {
      return {
        ...result(false, 'visit-day-passed', `the day of the application ${day} has passed (today ${today})`, { date: day, today }),
        hold: true,
      };
    }
    if (!r.window && r.doctor) {
      // No window is left now, but there was one when the citizen applied: the desk's delay, not a ground to refuse.
      const then = districts.resolveDistrict(app, { iin: content.iin, address, day, asOfMs: receivedMs });
      if (then.window)
        return {
          ...result(false, 'visit-window-passed', `the visit windows of ${day} passed before the request was processed`, { date: day }),
          hold: true,
        };
    }
    return r.doctor && r.window
      ? result(true, 'visit-window', `${r.doctor.fullName}, ${r.window.date} ${r.window.from}–${r.window.to}`, {
          doctor: r.doctor.fullName,
          date: r.window.date,
          from: r.window.from,
          to: r.window.to,
        })
      : result(false, 'no-visit-window', `no district doctor can visit on ${day}`, { date: day });
  },

  'free-slot'({ app, content, proposal }) {
    if (content.type !== 'appointment') return result(false, 'no-such-doctor', 'no doctor chosen');
    const doctor = findStaffByLogin(app.db, content.doctor);
    const startMs = Date.parse(content.slotStart);
    Object.assign(proposal, { doctorId: doctor?.id ?? null, doctor: doctor?.full_name ?? null, slotStart: content.slotStart });
    if (!doctor || !Number.isFinite(startMs)) return result(false, 'no-such-doctor', 'no such doctor', { doctor: content.doctor });
    const cal = calendarOf(app);
    const date = dayNumberToIso(cal.localDayOf(startMs));
    const time = localTime(cal, startMs);
    const slots = freeSlots.searchFreeSlots(app, { doctorId: doctor.id, from: date, days: 1, limit: 500 }).slots;
    const params = { doctor: doctor.full_name, date, time };
    return slots.some((s) => Date.parse(s.start) === startMs)
      ? result(true, 'slot-free', `${doctor.full_name}, ${date} ${time} is free`, params)
      : result(false, 'slot-taken', `${doctor.full_name}, ${date} ${time} is not a free slot`, params);
  },
};

/**
 * The grounds of condition 3 for a request that is signed and in force, as the service's regulation lists them:
 * the person in the population register first (nothing else can be checked without the person), then each listed
 * ground in order. The proposal is what the journal entry would take if the registrar (or the rules) confirm.
 */
export function checkGrounds(
  app: AppContext,
  def: ServiceDefinition,
  content: ErequestContent,
  receivedMs: number,
): { grounds: Ground[]; proposal: Proposal } {
  const out: Ground[] = [];
  const proposal: Proposal = {};
  for (const g of def.portalAnswering?.grounds ?? [{ kind: 'person' as const, title: undefined }]) {
    const title = g.title ? { title: g.title } : {};
    if (g.kind === 'person') {
      const person = findPersonByIin(app.db, content.iin);
      out.push({
        check: 'person',
        ...title,
        ...(person
          ? result(true, 'person-found', 'found in the population register')
          : result(false, 'person-not-found', 'not in the population register (ЖТ МДБ)')),
      });
      if (!person) break;
      continue;
    }
    out.push({ check: g.kind, ...title, ...CHECKERS[g.kind]({ app, content, receivedMs, proposal }) });
  }
  return { grounds: out, proposal };
}
