/**
 * Demo front desk: more district doctors (their accounts cannot log in until the administrator resets their
 * password), five districts over the demo population's Astana streets (one street, Сығанақ к-сі, is left outside
 * every district so the "choose by hand" path can be seen), weekly timetables for every physician and one leave.
 * Runs inside seedDemoData's transaction.
 */
import type { TimetableTemplate } from '../../../common/desk';
import { streetKey } from '../../../common/desk';
import { makeIin } from '../../../common/iin';
import type { Specialty } from '../../../common/roles';
import { dayNumberOf, dayNumberToIso, toLocalIsoDate } from '../../../common/working-calendar';
import * as districtsDb from '../../../db/desk/districts';
import * as timetablesDb from '../../../db/desk/timetables';
import { getOrganization } from '../../../db/organization';
import { findStaffByLogin, insertStaff } from '../../../db/staff';
import type { AppContext } from '../app';

export const DEMO_EXTRA_DOCTORS: Array<{ login: string; fullName: string; specialty: Specialty; iin: string }> = [
  { login: 'therapist2', fullName: 'Жанна Қайратқызы Әбенова', specialty: 'therapist', iin: makeIin('1981-06-14', 'F', 121) },
  { login: 'therapist3', fullName: 'Дмитрий Сергеевич Ковалёв', specialty: 'therapist', iin: makeIin('1978-02-11', 'M', 122) },
  { login: 'paediatrician2', fullName: 'Әйгерім Ерланқызы Сейітова', specialty: 'paediatrician', iin: makeIin('1987-09-30', 'F', 123) },
  { login: 'gp2', fullName: 'Нұржан Бауыржанұлы Тоқтаров', specialty: 'gp', iin: makeIin('1984-12-01', 'M', 124) },
];

/** A password hash no password matches: the account exists as a doctor in timetables but cannot log in yet. */
const NO_LOGIN = 'locked$demo-doctor';

type Day = { start: string; end: string; breaks?: { start: string; end: string }[] } | null;
function template(slotMinutes: number, room: string, days: Day[]): TimetableTemplate {
  return { slotMinutes, room, days: days.map((d) => (d ? { start: d.start, end: d.end, breaks: d.breaks ?? [] } : null)) };
}
const AM: Day = { start: '08:00', end: '13:00', breaks: [{ start: '10:30', end: '10:45' }] };
const PM: Day = { start: '14:00', end: '19:00', breaks: [{ start: '16:30', end: '16:45' }] };

export function seedFrontDesk(app: AppContext, now: Date): void {
  const db = app.db;
  for (const d of DEMO_EXTRA_DOCTORS) {
    if (findStaffByLogin(db, d.login)) continue;
    insertStaff(
      db,
      {
        login: d.login,
        fullName: d.fullName,
        iin: d.iin,
        role: 'physician',
        specialty: d.specialty,
        passwordHash: NO_LOGIN,
        language: 'kk',
        mustChangePassword: true,
      },
      now,
    );
  }
  const id = (login: string) => findStaffByLogin(db, login)?.id ?? null;

  const timetables: Record<string, TimetableTemplate> = {
    therapist: template(15, '105', [AM, PM, AM, PM, AM, null, null]),
    therapist2: template(15, '107', [PM, AM, PM, AM, PM, null, null]),
    therapist3: template(15, '109', [AM, AM, AM, AM, AM, null, null]),
    paediatrician: template(20, '201', [AM, AM, AM, AM, AM, null, null]),
    paediatrician2: template(20, '203', [PM, PM, PM, PM, PM, null, null]),
    gp: template(15, '301', [AM, PM, AM, PM, AM, null, null]),
    gp2: template(15, '303', [PM, AM, PM, AM, PM, null, null]),
    phthisiatrician: template(20, '401', [
      { start: '09:00', end: '13:00' },
      { start: '09:00', end: '13:00' },
      null,
      { start: '09:00', end: '13:00' },
      null,
      null,
      null,
    ]),
    psychiatrist: template(20, '402', [
      null,
      { start: '14:00', end: '18:00' },
      null,
      { start: '14:00', end: '18:00' },
      { start: '09:00', end: '12:00' },
      null,
      null,
    ]),
    narcologist: template(20, '403', [
      { start: '09:00', end: '12:00' },
      null,
      { start: '09:00', end: '12:00' },
      null,
      { start: '14:00', end: '17:00' },
      null,
      null,
    ]),
    counsellor: template(30, '410', [
      { start: '09:00', end: '17:00', breaks: [{ start: '13:00', end: '14:00' }] },
      null,
      { start: '09:00', end: '17:00', breaks: [{ start: '13:00', end: '14:00' }] },
      null,
      { start: '09:00', end: '13:00' },
      null,
      null,
    ]),
  };
  for (const [login, t] of Object.entries(timetables)) {
    const doctor = id(login);
    if (doctor !== null) timetablesDb.saveTimetableRow(db, doctor, JSON.stringify(t), t.room, now, null);
  }

  const districts: Array<{
    number: string;
    name: string;
    therapist?: string;
    paediatrician?: string;
    gp?: string;
    streets: Array<[string, number | null, number | null]>;
  }> = [
    {
      number: '1',
      name: 'Тұран — Қабанбай батыр (1–60)',
      therapist: 'therapist',
      paediatrician: 'paediatrician',
      streets: [
        ['Тұран д-лы', 1, 60],
        ['Қабанбай батыр д-лы', 1, 60],
      ],
    },
    {
      number: '2',
      name: 'Тұран — Қабанбай батыр (61–120), Мәңгілік Ел',
      therapist: 'therapist2',
      paediatrician: 'paediatrician',
      streets: [
        ['Тұран д-лы', 61, 200],
        ['Қабанбай батыр д-лы', 61, 200],
        ['Мәңгілік Ел д-лы', null, null],
      ],
    },
    {
      number: '3',
      name: 'Сарыарқа — Абай — Кенесары',
      therapist: 'therapist3',
      paediatrician: 'paediatrician2',
      streets: [
        ['Сарыарқа д-лы', null, null],
        ['Абай д-лы', null, null],
        ['Кенесары к-сі', null, null],
      ],
    },
    {
      number: '4',
      name: 'ЖПД: Бейбітшілік — Сейфуллин — Иманов',
      gp: 'gp',
      streets: [
        ['Бейбітшілік к-сі', null, null],
        ['Сейфуллин к-сі', null, null],
        ['Иманов к-сі', null, null],
      ],
    },
    {
      number: '5',
      name: 'ЖПД: Жеңіс — Республика',
      gp: 'gp2',
      streets: [
        ['Жеңіс д-лы', null, null],
        ['Республика д-лы', null, null],
      ],
    },
  ];
  for (const d of districts) {
    if (districtsDb.districtNumberTaken(db, d.number, null)) continue;
    districtsDb.saveDistrictRow(
      db,
      {
        id: null,
        number: d.number,
        name: d.name,
        therapistId: d.therapist ? id(d.therapist) : null,
        paediatricianId: d.paediatrician ? id(d.paediatrician) : null,
        gpId: d.gp ? id(d.gp) : null,
        addresses: d.streets.map(([street, from, to]) => ({
          street,
          streetKey: streetKey(street),
          houseFrom: from,
          houseTo: to,
          parity: 'all',
        })),
      },
      now,
    );
  }

  // Dr Kovalyov is on leave next week: the registrar sees it when booking a therapist.
  const doctor3 = id('therapist3');
  if (doctor3 !== null) {
    const today = dayNumberOf(toLocalIsoDate(now, getOrganization(db)?.timezone ?? 'Asia/Almaty'));
    timetablesDb.insertException(
      db,
      {
        doctor_id: doctor3,
        kind: 'leave',
        date_from: dayNumberToIso(today + 7),
        date_to: dayNumberToIso(today + 13),
        start_time: null,
        end_time: null,
        note: 'Жыл сайынғы демалыс',
      },
      now,
      null,
    );
  }
}
