/**
 * Why one file of a little over 400 lines: by the rule in common/api/index.ts a domain's data shapes live in one
 * common/<domain>.ts shared by services and screens; the file is mostly declarations (schemas, the journals' column
 * lists and the street-type words, one entry per line), with only a few small pure rules.
 *
 * The front desk (issue 4): districts, doctors' timetables, the home-visit call register, appointments and the
 * pre-registration journal, attachment with its talon. Shapes shared by the main process and the renderer, plus
 * the pure rules both sides use (clock times, address keys, journal columns).
 */
import { z } from 'zod';
import { isoDateSchema } from './schemas';
import { SPECIALTIES } from './roles';
import { nameKey } from './text';

export const DESK_SERVICES = { homeVisit: 'home-visit', appointment: 'appointment', attachment: 'attachment' } as const;

export const CALLERS = ['self', 'relative', 'other'] as const;
export type Caller = (typeof CALLERS)[number];
export const VISIT_STATUSES = ['registered', 'visited', 'cancelled'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'rescheduled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_KINDS = ['appointment', 'walk-in'] as const;
export const ATTACHMENT_STATUSES = ['active', 'ended'] as const;
export const EXCEPTION_KINDS = ['leave', 'sick', 'extra'] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];
/** Specialties of district doctors (they take home-visit calls and hold districts). */
export const DISTRICT_SPECIALTIES = ['therapist', 'paediatrician', 'gp'] as const;
/** Sync state of a booking: provisional until the central server confirms the slot (issue 7 flips it). */
export const BOOKING_SYNC = ['provisional', 'confirmed', 'conflict'] as const;

export const localizedSchema = z.object({ kk: z.string(), ru: z.string(), en: z.string() });

export /** A real calendar date (common/schemas.ts). */
const isoDate = isoDateSchema;
/**
 * When the registrar began a desk or phone request with the person (ISO 8601 with an offset), sent with the save;
 * the main process checks it (electron/services/workflow/request-start.ts). Absent: the request starts at the save.
 */
export const requestStartedAtSchema = z.string().datetime({ offset: true, message: 'an ISO time' }).nullable().optional();

export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');

/** Minutes since midnight of `HH:MM`. */
export function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}
export function hhmm(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Timetables

const intervalSchema = z
  .object({ start: clockTime, end: clockTime })
  .strict()
  .refine((i) => minutesOf(i.end) > minutesOf(i.start), { message: 'the end is not after the start', path: ['end'] });

export const timetableDaySchema = z
  .object({ start: clockTime, end: clockTime, breaks: z.array(intervalSchema).max(6).default([]) })
  .strict()
  .refine((d) => minutesOf(d.end) > minutesOf(d.start), { message: 'the end is not after the start', path: ['end'] })
  .refine((d) => d.breaks.every((b) => minutesOf(b.start) >= minutesOf(d.start) && minutesOf(b.end) <= minutesOf(d.end)), {
    message: 'a break lies outside the working hours',
    path: ['breaks'],
  });
export type TimetableDay = z.infer<typeof timetableDaySchema>;

/** A doctor's weekly template: `days[0]` is Monday … `days[6]` Sunday; null = no reception that day. */
export const timetableTemplateSchema = z
  .object({
    slotMinutes: z.number().int().min(5).max(120),
    room: z.string().trim().max(40).nullable().default(null),
    days: z.array(timetableDaySchema.nullable()).length(7),
  })
  .strict();
export type TimetableTemplate = z.infer<typeof timetableTemplateSchema>;

export const timetableExceptionSchema = z.object({
  id: z.number().int(),
  doctorId: z.number().int(),
  kind: z.enum(EXCEPTION_KINDS),
  from: isoDate,
  to: isoDate,
  start: clockTime.nullable(),
  end: clockTime.nullable(),
  note: z.string().nullable(),
});
export type TimetableException = z.infer<typeof timetableExceptionSchema>;

export const doctorSchema = z.object({
  id: z.number().int(),
  login: z.string(),
  fullName: z.string(),
  specialty: z.enum(SPECIALTIES),
  room: z.string().nullable(),
  hasTimetable: z.boolean(),
  districts: z.array(z.string()),
});
export type Doctor = z.infer<typeof doctorSchema>;

export const slotSchema = z.object({
  doctorId: z.number().int(),
  start: z.string(),
  end: z.string(),
  /** Local date and time in the organization's zone, for display without a zone library. */
  date: isoDate,
  time: clockTime,
  state: z.enum(['free', 'booked', 'past']),
  appointmentId: z.number().int().nullable(),
  personName: z.string().nullable(),
  kind: z.enum(APPOINTMENT_KINDS).nullable(),
});
export type Slot = z.infer<typeof slotSchema>;

export const timetableDayViewSchema = z.object({
  date: isoDate,
  weekday: z.number().int().min(1).max(7),
  /** Why there is no reception: a day off of the organization (holiday/weekend), leave, sick day, no template. */
  off: z.enum(['holiday', 'weekend', 'leave', 'sick', 'no-hours']).nullable(),
  holiday: z.boolean(),
  hours: z.array(z.object({ start: clockTime, end: clockTime, extra: z.boolean() })),
  slots: z.array(slotSchema),
});

export const timetableWeekSchema = z.object({
  doctor: doctorSchema,
  template: timetableTemplateSchema.nullable(),
  exceptions: z.array(timetableExceptionSchema),
  from: isoDate,
  days: z.array(timetableDayViewSchema),
  today: isoDate,
});
export type TimetableWeek = z.infer<typeof timetableWeekSchema>;

/** A doctor not available in a searched range, so the registrar hears why a specialty has no slot. */
export const unavailableSchema = z.object({
  doctorId: z.number().int(),
  fullName: z.string(),
  kind: z.enum(EXCEPTION_KINDS),
  from: isoDate,
  to: isoDate,
});

// ---------------------------------------------------------------------------------------------------------------
// Districts and addresses

export const districtAddressSchema = z
  .object({
    street: z.string().trim().min(2).max(120),
    houseFrom: z.number().int().min(1).max(9999).nullable().default(null),
    houseTo: z.number().int().min(1).max(9999).nullable().default(null),
    parity: z.enum(['all', 'odd', 'even']).default('all'),
  })
  .strict();
export type DistrictAddress = z.infer<typeof districtAddressSchema>;

export const districtSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  name: z.string(),
  therapist: z.object({ id: z.number().int(), fullName: z.string() }).nullable(),
  paediatrician: z.object({ id: z.number().int(), fullName: z.string() }).nullable(),
  gp: z.object({ id: z.number().int(), fullName: z.string() }).nullable(),
  addresses: z.array(districtAddressSchema.extend({ houseFrom: z.number().nullable(), houseTo: z.number().nullable() })),
  attached: z.number().int(),
});
export type District = z.infer<typeof districtSchema>;

export const districtResolutionSchema = z.object({
  district: districtSchema.nullable(),
  /** attachment: the person is attached here to that district; address: matched by street and house; null: not found. */
  matchedBy: z.enum(['attachment', 'address']).nullable(),
  /** Why no district: no address, or the address is outside every district (the registrar chooses by hand). */
  problem: z.enum(['no-address', 'outside']).nullable(),
  street: z.string().nullable(),
  house: z.number().int().nullable(),
  /** The district doctor for this person (paediatrician for a child, else therapist, else GP). */
  doctor: z.object({ id: z.number().int(), fullName: z.string(), specialty: z.enum(SPECIALTIES) }).nullable(),
  /**
   * The proposed home-visit window of that doctor: today's while one is left; at the desk after the last one, the
   * doctor's next visiting day (`afterHours`: the same-day rule cannot be met, and no reason is asked for).
   */
  window: z.object({ date: isoDate, from: clockTime, to: clockTime, afterHours: z.boolean().optional() }).nullable(),
  attachment: z.object({ id: z.number().int(), talonNumber: z.string(), since: z.string() }).nullable(),
});
export type DistrictResolution = z.infer<typeof districtResolutionSchema>;

const STREET_WORDS = new Set([
  'к-сі',
  'көшесі',
  'көш',
  'к',
  'д-лы',
  'даңғылы',
  'даңғ',
  'ул',
  'улица',
  'пр',
  'пр-т',
  'проспект',
  'пер',
  'переулок',
  'б-р',
  'бульвар',
  'мкр',
  'микрорайон',
  'шағын',
  'аудан',
  'ш.а',
  'тұйық',
  'тұйығы',
  'шоссе',
  'тас',
  'жолы',
  'street',
  'st',
  'avenue',
  'ave',
]);

/** The key of a street name: street-type words dropped, case and Kazakh letters folded ("ул. Кабанбай батыр" = "Қабанбай батыр д-лы"). */
export function streetKey(street: string): string {
  const words = street
    .toLowerCase()
    .split(/[\s.,]+/)
    .filter((w) => w && !STREET_WORDS.has(w));
  return nameKey(words.join(' '));
}

const CITY = /(^|\s)(қ\.|г\.|қаласы|город)(\s|$)|^(г|қ)\.\s/i;
const FLAT = /(пәтер|кв\.?|квартира|офис|flat|apt)/i;
const HOUSE_ONLY = /^\s*(?:үй|д\.|дом|house)?\s*(\d{1,4})\s*[а-яәіңғүұқөһa-z]?\s*(?:-?\s*үй|-?\s*й)?\s*$/i;

/** Street (display and key) and house number of a free-text address: "Астана қ., Тұран д-лы, 12-үй, 4-пәтер". */
export function parseAddress(address: string | null | undefined): { street: string; key: string; house: number | null } | null {
  if (!address) return null;
  const parts = address
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  let street: string | null = null;
  let house: number | null = null;
  for (const p of parts) {
    if (FLAT.test(p)) continue;
    if (street === null && CITY.test(p)) continue;
    const h = HOUSE_ONLY.exec(p);
    if (h) {
      if (street !== null && house === null) house = Number(h[1]);
      continue;
    }
    if (street === null) {
      const tail = /^(.*\D)\s+(\d{1,4})\s*[а-яa-z]?$/i.exec(p);
      if (tail) {
        street = tail[1]!.trim();
        house = Number(tail[2]);
      } else street = p;
    }
  }
  if (!street) return null;
  const key = streetKey(street);
  return key ? { street, key, house } : null;
}

/** Whether a house number falls in an address rule of a district (no range = the whole street). */
export function houseMatches(
  rule: { houseFrom: number | null; houseTo: number | null; parity: 'all' | 'odd' | 'even' },
  house: number | null,
): boolean {
  if (rule.houseFrom === null && rule.houseTo === null && rule.parity === 'all') return true;
  if (house === null) return false;
  if (rule.houseFrom !== null && house < rule.houseFrom) return false;
  if (rule.houseTo !== null && house > rule.houseTo) return false;
  if (rule.parity === 'odd' && house % 2 === 0) return false;
  if (rule.parity === 'even' && house % 2 === 1) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Records

const personBrief = z.object({ iin: z.string(), name: z.string(), birthDate: z.string() });

export const homeVisitSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  requestNumber: z.string(),
  channel: z.enum(['desk', 'phone', 'portal']),
  person: personBrief,
  address: z.string(),
  phone: z.string().nullable(),
  complaint: z.string(),
  caller: z.enum(CALLERS),
  callerName: z.string().nullable(),
  district: z.string().nullable(),
  doctor: z.object({ id: z.number().int(), fullName: z.string(), specialty: z.enum(SPECIALTIES) }),
  visitDate: isoDate,
  windowFrom: clockTime,
  windowTo: clockTime,
  lateReason: z.string().nullable(),
  status: z.enum(VISIT_STATUSES),
  statusReason: z.string().nullable(),
  statusAt: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type HomeVisit = z.infer<typeof homeVisitSchema>;

export const appointmentSchema = z.object({
  id: z.number().int(),
  number: z.string(),
  requestNumber: z.string(),
  kind: z.enum(APPOINTMENT_KINDS),
  channel: z.enum(['desk', 'phone', 'portal']),
  person: personBrief.extend({ phone: z.string().nullable() }),
  doctor: z.object({ id: z.number().int(), fullName: z.string(), specialty: z.enum(SPECIALTIES), room: z.string().nullable() }),
  slotStart: z.string(),
  date: isoDate,
  time: clockTime,
  endTime: clockTime,
  status: z.enum(APPOINTMENT_STATUSES),
  sync: z.enum(BOOKING_SYNC).nullable(),
  reason: z.string().nullable(),
  note: z.string().nullable(),
  rescheduledTo: z.number().int().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const attachmentSchema = z.object({
  id: z.number().int(),
  talonNumber: z.string(),
  requestNumber: z.string(),
  person: personBrief.extend({ address: z.string().nullable(), phone: z.string().nullable() }),
  district: z.object({ id: z.number().int(), number: z.string(), name: z.string() }),
  doctor: z.object({ id: z.number().int(), fullName: z.string(), specialty: z.enum(SPECIALTIES) }).nullable(),
  documents: z.array(z.string()),
  previousOrganization: z.string().nullable(),
  districtChosenByHand: z.boolean(),
  status: z.enum(ATTACHMENT_STATUSES),
  attachedAt: z.string(),
  date: isoDate,
  verification: z.string(),
  createdBy: z.string(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const pdfSchema = z.object({ fileName: z.string(), base64: z.string(), pages: z.number().int() });
export type PdfFile = z.infer<typeof pdfSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Journals

export const JOURNALS = ['home-visits', 'appointments', 'attachments'] as const;
export type JournalId = (typeof JOURNALS)[number];

/**
 * The columns of each journal, in the order the registers are kept on paper (the regulations name the journals
 * — шақыруларды тіркеу журналы, алдын ала жазылу журналы, the attachment journal — and what is written in them:
 * who asked, when, for whom, which doctor, the date and time given). Titles are in common/desk-texts.ts.
 */
export const JOURNAL_COLUMNS: Record<JournalId, readonly string[]> = {
  'home-visits': [
    'number',
    'registeredAt',
    'channel',
    'person',
    'iin',
    'birthDate',
    'address',
    'phone',
    'caller',
    'complaint',
    'district',
    'doctor',
    'visit',
    'status',
    'registrar',
  ],
  appointments: [
    'number',
    'registeredAt',
    'channel',
    'person',
    'iin',
    'phone',
    'doctor',
    'specialty',
    'visit',
    'kind',
    'status',
    'sync',
    'registrar',
  ],
  attachments: [
    'number',
    'registeredAt',
    'person',
    'iin',
    'birthDate',
    'address',
    'district',
    'doctor',
    'documents',
    'previousOrganization',
    'status',
    'registrar',
  ],
};

export const journalQuerySchema = z
  .object({
    journal: z.enum(JOURNALS),
    from: isoDate,
    to: isoDate,
    query: z.string().trim().max(100).default(''),
    status: z.string().trim().max(20).nullable().default(null),
    doctorId: z.number().int().positive().nullable().default(null),
    districtId: z.number().int().positive().nullable().default(null),
  })
  .strict();
export type JournalQuery = z.input<typeof journalQuerySchema>;

export const journalResultSchema = z.object({
  journal: z.enum(JOURNALS),
  columns: z.array(z.object({ key: z.string(), title: z.string() })),
  rows: z.array(z.object({ id: z.number().int(), status: z.string(), cells: z.array(z.string()) })),
  totals: z.object({ all: z.number().int(), byStatus: z.record(z.string(), z.number().int()) }),
  truncated: z.boolean(),
});
export type JournalResult = z.infer<typeof journalResultSchema>;
