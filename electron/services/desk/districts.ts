/**
 * Districts (`districts.*`): each district's doctors and its address rules (street, house range, parity), and the
 * resolution of a person to a district and a doctor: where they are attached here, else by the street and house of
 * their address. Home visits and attachments resolve through the same rules.
 */
import {
  hhmm,
  houseMatches,
  parseAddress,
  streetKey,
  type District,
  type DistrictAddress,
  type DistrictResolution,
} from '../../../common/desk';
import { ApiError } from '../../../common/errors';
import type { Specialty } from '../../../common/roles';
import { dayNumberOf, dayNumberToIso } from '../../../common/working-calendar';
import { recordChange } from '../../../db/change';
import * as attachmentsDb from '../../../db/desk/attachments';
import * as districtsDb from '../../../db/desk/districts';
import * as doctorsDb from '../../../db/desk/doctors';
import { getStaff, type StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { calendarOf } from '../workflow/context';
import { engineActor, orgToday } from '../workflow/app-engine';
import { requirePerson } from './common';
import { planInput, requireDoctor } from './doctors';
import { visitWindow } from '../../../common/timetable-slots';

function age(birthDate: string, today: string): number {
  let a = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  if (today.slice(5) < birthDate.slice(5)) a--;
  return a;
}

function districtView(app: AppContext, r: districtsDb.DistrictRow, addresses?: districtsDb.DistrictAddressRow[]): District {
  const person = (id: number | null, name: string | null) => (id !== null && name !== null ? { id, fullName: name } : null);
  return {
    id: r.id,
    number: r.number,
    name: r.name,
    therapist: person(r.therapist_id, r.therapist_name),
    paediatrician: person(r.paediatrician_id, r.paediatrician_name),
    gp: person(r.gp_id, r.gp_name),
    addresses: (addresses ?? districtsDb.listDistrictAddresses(app.db, r.id)).map((a) => ({
      street: a.street,
      houseFrom: a.house_from,
      houseTo: a.house_to,
      parity: a.parity,
    })),
    attached: r.attached,
  };
}

export function listDistricts(app: AppContext): District[] {
  const all = districtsDb.listDistrictAddresses(app.db);
  return districtsDb.listDistricts(app.db).map((r) =>
    districtView(
      app,
      r,
      all.filter((a) => a.district_id === r.id),
    ),
  );
}

export interface DistrictSaveInput {
  id?: number | null;
  number: string;
  name: string;
  therapistId: number | null;
  paediatricianId: number | null;
  gpId: number | null;
  addresses: DistrictAddress[];
}

export function saveDistrict(app: AppContext, staff: StaffRow, a: DistrictSaveInput): District {
  const id = a.id ?? null;
  if (districtsDb.districtNumberTaken(app.db, a.number, id))
    throw new ApiError('conflict', `district ${a.number} exists`, { number: a.number }, ['number']);
  for (const [field, want] of [
    ['therapistId', 'therapist'],
    ['paediatricianId', 'paediatrician'],
    ['gpId', 'gp'],
  ] as const) {
    const v = a[field];
    if (v === null) continue;
    const d = doctorsDb.getDoctor(app.db, v);
    if (!d || d.specialty !== want) throw new ApiError('validation', `${field}: not a ${want}`, {}, [field]);
  }
  const addresses = a.addresses.map((x, i) => {
    const key = streetKey(x.street);
    if (!key) throw new ApiError('validation', `addresses.${i}.street: no street name`, {}, [`addresses.${i}.street`]);
    if (x.houseFrom !== null && x.houseTo !== null && x.houseTo < x.houseFrom)
      throw new ApiError('validation', 'house range reversed', {}, [`addresses.${i}.houseTo`]);
    return { street: x.street.trim(), streetKey: key, houseFrom: x.houseFrom, houseTo: x.houseTo, parity: x.parity };
  });
  const now = app.clock();
  const saved = recordChange(
    app.db,
    engineActor(staff),
    now,
    () =>
      districtsDb.saveDistrictRow(
        app.db,
        { id, number: a.number, name: a.name, therapistId: a.therapistId, paediatricianId: a.paediatricianId, gpId: a.gpId, addresses },
        now,
      ),
    {
      audit: (did) => ({
        action: id === null ? 'district.created' : 'district.changed',
        entity: 'district',
        entityId: did,
        details: { number: a.number, streets: addresses.length },
      }),
      // Doctors travel by login: staff ids differ from desk to desk.
      outbox: (did) => ({
        kind: 'district.save',
        entity: 'district',
        entityId: a.number,
        payload: {
          id: did,
          ...a,
          therapist: loginOf(app, a.therapistId),
          paediatrician: loginOf(app, a.paediatricianId),
          gp: loginOf(app, a.gpId),
          addresses,
        },
      }),
    },
  );
  return districtView(app, districtsDb.getDistrictRow(app.db, saved)!);
}

function loginOf(app: AppContext, staffId: number | null): string | null {
  return staffId === null ? null : (getStaff(app.db, staffId)?.login ?? null);
}

export function proposeDoctor(app: AppContext, d: districtsDb.DistrictRow, birthDate: string): DistrictResolution['doctor'] {
  const child = age(birthDate, orgToday(app)) < 18;
  const order: Array<[number | null, string | null, Specialty]> = child
    ? [
        [d.paediatrician_id, d.paediatrician_name, 'paediatrician'],
        [d.gp_id, d.gp_name, 'gp'],
        [d.therapist_id, d.therapist_name, 'therapist'],
      ]
    : [
        [d.therapist_id, d.therapist_name, 'therapist'],
        [d.gp_id, d.gp_name, 'gp'],
      ];
  const hit = order.find(([id, name]) => id !== null && name !== null);
  return hit ? { id: hit[0]!, fullName: hit[1]!, specialty: hit[2] } : null;
}

interface Match {
  district: districtsDb.DistrictRow;
  rule: districtsDb.DistrictAddressRow | null;
  house: number | null;
}

export function matchAddress(app: AppContext, address: string | null): { match: Match | null; parsed: ReturnType<typeof parseAddress> } {
  const parsed = parseAddress(address);
  if (!parsed) return { match: null, parsed };
  const rule = districtsDb
    .addressesByStreetKey(app.db, parsed.key)
    .find((r) => houseMatches({ houseFrom: r.house_from, houseTo: r.house_to, parity: r.parity }, parsed.house));
  const district = rule ? districtsDb.getDistrictRow(app.db, rule.district_id) : undefined;
  return { match: district && rule ? { district, rule, house: parsed.house } : null, parsed };
}

/** How far ahead the desk looks for the doctor's next visiting day (a fortnight covers the longest holidays). */
const VISIT_LOOKAHEAD_DAYS = 14;

/** The doctor's first visit window after `today` (within a fortnight), as the desk offers it after hours. */
export function nextVisitWindow(
  app: AppContext,
  d: ReturnType<typeof requireDoctor>,
  today: string,
  asOfMs: number,
): DistrictResolution['window'] {
  const cal = calendarOf(app);
  for (let n = dayNumberOf(today) + 1; n <= dayNumberOf(today) + VISIT_LOOKAHEAD_DAYS; n++) {
    const day = dayNumberToIso(n);
    const w = visitWindow(cal, planInput(app, d, day, day), n, asOfMs);
    if (w) return { date: day, from: hhmm(w.from), to: hhmm(w.to), afterHours: true };
  }
  return null;
}

/** The person's district: where they are attached here, else by the street and house of the address. */
export function resolveDistrict(
  app: AppContext,
  a: { iin: string; address?: string | null; districtId?: number | null; day?: string; asOfMs?: number },
): DistrictResolution {
  const person = requirePerson(app, a.iin);
  const attachment = attachmentsDb.activeAttachmentOf(app.db, person.iin);
  const address = a.address?.trim() || person.address;
  let district: districtsDb.DistrictRow | undefined;
  let matchedBy: DistrictResolution['matchedBy'] = null;
  const { match, parsed } = matchAddress(app, address);
  if (a.districtId) {
    district = districtsDb.getDistrictRow(app.db, a.districtId);
    if (!district) throw new ApiError('not-found', `no district ${a.districtId}`, { id: a.districtId }, ['districtId']);
  } else if (attachment) {
    district = districtsDb.getDistrictRow(app.db, attachment.district_id);
    matchedBy = 'attachment';
  } else if (match) {
    district = match.district;
    matchedBy = 'address';
  }
  const doctor = district ? proposeDoctor(app, district, person.birthDate) : null;
  let window: DistrictResolution['window'] = null;
  if (doctor) {
    const d = requireDoctor(app, doctor.id);
    const cal = calendarOf(app);
    // The visit window of the given day (a portal request: the day it was received), never one already past.
    const today = orgToday(app);
    const day = a.day && a.day > today ? a.day : today;
    // `asOfMs`: the window as it was offered at that moment (a portal request: when it was received).
    const asOf = a.asOfMs ?? app.clock().getTime();
    const w = a.day && a.day < today ? null : visitWindow(cal, planInput(app, d, day, day), dayNumberOf(day), asOf);
    if (w) window = { date: day, from: hhmm(w.from), to: hhmm(w.to) };
    // At the desk, after the doctor's last window of today (an evening phone call), the next day the doctor visits
    // is offered instead of nothing: the registrar confirms it with the caller rather than hunting for a date.
    if (!w && a.day === undefined) window = nextVisitWindow(app, d, today, asOf);
  }
  return {
    district: district ? districtView(app, district) : null,
    matchedBy,
    problem: district ? null : !address || !parsed ? 'no-address' : 'outside',
    street: parsed?.street ?? null,
    house: parsed?.house ?? null,
    doctor,
    window,
    attachment: attachment ? { id: attachment.id, talonNumber: attachment.talon_number, since: attachment.attached_day } : null,
  };
}
