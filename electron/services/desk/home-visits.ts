/**
 * Home-visit calls (`homeVisits.*`): registering a call for a doctor's visit window (a visit later than the same
 * day needs a recorded reason), marking it visited or cancelled, and a doctor's calls of a day in route order (the
 * district's streets in walking order, then house numbers).
 */
import { DESK_SERVICES, minutesOf, type Doctor, type HomeVisit } from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Specialty } from '../../../common/roles';
import { dayNumberOf } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import * as attachmentsDb from '../../../db/desk/attachments';
import * as districtsDb from '../../../db/desk/districts';
import * as homeVisitsDb from '../../../db/desk/home-visits';
import * as timetablesDb from '../../../db/desk/timetables';
import type { RequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { issueNumber } from '../numbers';
import { calendarOf } from '../workflow/context';
import { engineActor, orgToday } from '../workflow/app-engine';
import { fullName, localIso, organization, requirePerson, runDeskRequest } from './common';
import { matchAddress, nextVisitWindow } from './districts';
import { doctorView, planInput, requireDoctor } from './doctors';
import { planDay, visitWindow } from '../../../common/timetable-slots';
import { requestStartMs } from '../workflow/request-start';

export function visitView(r: homeVisitsDb.HomeVisitRow): HomeVisit {
  return {
    id: r.id,
    number: r.number,
    requestNumber: r.request_number,
    channel: r.channel,
    person: { iin: r.person_iin, name: fullName(r), birthDate: r.birth_date },
    address: r.address,
    phone: r.phone,
    complaint: r.complaint,
    caller: r.caller,
    callerName: r.caller_name,
    district: r.district_number,
    doctor: { id: r.doctor_id, fullName: r.doctor_name, specialty: r.specialty as Specialty },
    visitDate: r.visit_date,
    windowFrom: r.window_from,
    windowTo: r.window_to,
    lateReason: r.late_reason,
    status: r.status,
    statusReason: r.status_reason,
    statusAt: r.status_at,
    createdAt: r.created_at,
    createdBy: r.registrar,
  };
}

export function getHomeVisit(app: AppContext, id: number): HomeVisit {
  const r = homeVisitsDb.getHomeVisitRow(app.db, id);
  if (!r) throw new ApiError('not-found', `no home-visit call ${id}`, { id });
  return visitView(r);
}

export interface HomeVisitArgs {
  iin: string;
  channel: 'desk' | 'phone';
  address: string;
  phone?: string | null;
  complaint: string;
  caller: 'self' | 'relative' | 'other';
  callerName?: string | null;
  districtId?: number | null;
  doctorId: number;
  visitDate: string;
  windowFrom: string;
  windowTo: string;
  lateReason?: string | null;
  /** When the registrar began with the person (ISO time from the form); the request's clock starts then. */
  startedAt?: string | null;
}

/**
 * `portal`: the call comes from a citizen's e-request (issue 8) already registered through the step engine as a
 * portal request; the journal entry is linked to that request instead of starting a desk request.
 */
export function registerHomeVisit(app: AppContext, staff: StaffRow, a: HomeVisitArgs, portal?: { request: RequestRow }): HomeVisit {
  const startedMs = portal ? undefined : requestStartMs(app, a.startedAt);
  const person = requirePerson(app, a.iin);
  const d = requireDoctor(app, a.doctorId);
  const today = orgToday(app);
  const cal = calendarOf(app);
  if (a.visitDate < today) throw new ApiError('date-in-past', `${a.visitDate} is in the past`, { date: a.visitDate, today }, ['visitDate']);
  if (minutesOf(a.windowTo) <= minutesOf(a.windowFrom))
    throw new ApiError('validation', 'the window ends before it starts', {}, ['windowTo']);
  const lateReason = a.lateReason?.trim() || null;
  // The visit is the same day; a call after the doctor's last window of today gets the doctor's next visiting day
  // as the regulated answer, with no reason to write. Any other later date needs one.
  const nowMs = app.clock().getTime();
  const afterHours =
    a.visitDate > today &&
    !visitWindow(cal, planInput(app, d, today, today), dayNumberOf(today), nowMs) &&
    nextVisitWindow(app, d, today, nowMs)?.date === a.visitDate;
  if (a.visitDate > today && !afterHours && (!lateReason || lateReason.length < 3)) {
    throw new ApiError(
      'visit-reason-required',
      `the visit is the same day; ${a.visitDate} needs a recorded reason`,
      { date: a.visitDate },
      ['lateReason'],
    );
  }
  if (a.visitDate === today) {
    const nowLocal = localIso(cal, app.clock().getTime()).time;
    if (a.windowTo <= nowLocal)
      throw new ApiError('window-passed', `the window ${a.windowFrom}–${a.windowTo} has passed`, { from: a.windowFrom, to: a.windowTo }, [
        'windowTo',
      ]);
  }
  const plan = planDay(cal, planInput(app, d, a.visitDate, a.visitDate), dayNumberOf(a.visitDate));
  if (plan.off === 'leave' || plan.off === 'sick') {
    const e = timetablesDb.listExceptions(app.db, d.id, a.visitDate, a.visitDate).find((x) => x.kind === plan.off)!;
    throw new ApiError('doctor-unavailable', `${d.full_name} is on ${plan.off} from ${e.date_from} to ${e.date_to}`, {
      doctor: d.full_name,
      kind: plan.off,
      from: e.date_from,
      to: e.date_to,
    });
  }
  const { match } = matchAddress(app, a.address);
  let districtId = a.districtId ?? null;
  if (districtId !== null) {
    if (!districtsDb.getDistrictRow(app.db, districtId))
      throw new ApiError('not-found', `no district ${districtId}`, { id: districtId }, ['districtId']);
  } else {
    const attached = attachmentsDb.activeAttachmentOf(app.db, person.iin);
    districtId = attached?.district_id ?? match?.district.id ?? null;
    if (districtId === null)
      throw new ApiError('outside-districts', `the address "${a.address}" is outside every district`, { address: a.address }, [
        'districtId',
      ]);
  }
  const sameDistrict = match && match.district.id === districtId;
  const now = app.clock();
  const id = recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      const req = portal?.request ?? runDeskRequest(app, staff, DESK_SERVICES.homeVisit, a.channel, person.iin, startedMs);
      return homeVisitsDb.insertHomeVisit(app.db, {
        number: issueNumber(app.db, organization(app).workstationPrefix, 'home-visit'),
        request_id: req.id,
        channel: portal ? 'portal' : a.channel,
        person_iin: person.iin,
        address: a.address.trim(),
        phone: a.phone?.trim() || null,
        complaint: a.complaint.trim(),
        caller: a.caller,
        caller_name: a.callerName?.trim() || null,
        district_id: districtId,
        doctor_id: d.id,
        visit_date: a.visitDate,
        window_from: a.windowFrom,
        window_to: a.windowTo,
        late_reason: a.visitDate > today ? lateReason : null,
        route_street: sameDistrict ? match.rule!.position : null,
        route_house: sameDistrict ? match.house : null,
        created_at: now.toISOString(),
        created_day: today,
        created_by: staff.id,
      });
    },
    {
      audit: (vid) => ({
        action: 'home-visit.registered',
        entity: 'home_visit',
        entityId: vid,
        details: { doctor: d.login, visitDate: a.visitDate, channel: a.channel },
      }),
      outbox: (vid) => {
        const r = homeVisitsDb.getHomeVisitRow(app.db, vid)!;
        return {
          kind: 'home-visit.register',
          entity: 'home_visit',
          entityId: r.number,
          payload: {
            number: r.number,
            request: r.request_number,
            personIin: person.iin,
            doctor: d.login,
            district: r.district_number,
            visitDate: a.visitDate,
            window: [a.windowFrom, a.windowTo],
            caller: a.caller,
            channel: a.channel,
            createdAt: r.created_at,
          },
        };
      },
    },
  );
  return getHomeVisit(app, id);
}

export function setVisitStatus(
  app: AppContext,
  staff: StaffRow,
  a: { id: number; status: 'visited' | 'cancelled'; reason?: string | null },
): HomeVisit {
  const r = homeVisitsDb.getHomeVisitRow(app.db, a.id);
  if (!r) throw new ApiError('not-found', `no home-visit call ${a.id}`, { id: a.id });
  const reason = a.reason?.trim() || null;
  if (a.status === 'cancelled' && (!reason || reason.length < 3))
    throw new ApiError('validation', 'a cancellation needs a reason', {}, ['reason']);
  // A call is closed by the registrar or by the doctor it was given to, not by any physician (issue 14).
  if (staff.role === 'physician' && r.doctor_id !== staff.id)
    throw new ApiError('forbidden', `call ${r.number} is another doctor's`, { number: r.number });
  if (r.status !== 'registered')
    throw new ApiError('visit-closed', `call ${r.number} is already ${r.status}`, { number: r.number, status: r.status });
  const now = app.clock();
  recordChange(
    app.db,
    engineActor(staff),
    now,
    () => {
      if (!homeVisitsDb.setHomeVisitStatus(app.db, r.id, a.status, reason, now, staff.id))
        throw new ApiError('visit-closed', `call ${r.number} changed meanwhile`, { number: r.number, status: a.status });
    },
    {
      audit: { action: `home-visit.${a.status}`, entity: 'home_visit', entityId: r.id, details: { number: r.number, reason } },
      outbox: {
        kind: 'home-visit.status',
        entity: 'home_visit',
        entityId: r.number,
        payload: { number: r.number, status: a.status, reason, at: now.toISOString(), by: staff.login },
      },
    },
  );
  return getHomeVisit(app, r.id);
}

export function doctorDay(app: AppContext, a: { doctorId: number; date: string }): { doctor: Doctor; date: string; visits: HomeVisit[] } {
  const d = requireDoctor(app, a.doctorId);
  return {
    doctor: doctorView(d, districtsDb.listDistricts(app.db)),
    date: a.date,
    visits: homeVisitsDb.doctorDayVisits(app.db, d.id, a.date).map(visitView),
  };
}

export function personVisits(app: AppContext, iin: string): HomeVisit[] {
  return homeVisitsDb.personOpenVisits(app.db, requirePerson(app, iin).iin, orgToday(app)).map(visitView);
}
