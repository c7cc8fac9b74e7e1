/**
 * What the people of the simulated clinic do (issue 13), each through the API a person uses: a registrar books,
 * cancels and reschedules appointments (always in a slot `appointments.freeSlots` offered), enters people by hand,
 * takes home-visit calls; an operator and the cashier take a paid certificate request through to its payment; the
 * administrator changes a price, enters or removes a doctor's sick day, renames a district. The operation and its
 * arguments are drawn from the seeded generator; the application's refusals (a slot taken meanwhile, a window
 * already past…) are counted, not failures.
 *
 * Citizens send e-requests through the portal (portal.ts) on a schedule of their own (`postErequest`, driven by
 * clinic.ts with its own generator), which the desks take in when they process their inbox: how many arrive must not
 * depend on what the desks' draws happened to be — those depend on the calendar (free slots, holidays), so on the
 * date the simulation starts.
 */
import { makeIin } from '../../common/iin';
import { dayNumberOf, dayNumberToIso } from '../../common/working-calendar';
import { bookedAppointments, lostAppointments, manualPeopleIins } from '../../db/clinic-snapshot';
import { CallRefused, type SimDesk } from './desk';
import type { SimPortal } from './portal';

export const OPERATION_KINDS = [
  'book',
  'cancel',
  'reschedule',
  'person',
  'home-visit',
  'payment',
  'price',
  'timetable-exception',
  'district',
] as const;
export type OperationKind = (typeof OPERATION_KINDS)[number];

/** How often each operation is drawn (relative weights). */
const WEIGHTS: Record<OperationKind, number> = {
  book: 34,
  cancel: 8,
  reschedule: 8,
  person: 12,
  'home-visit': 10,
  payment: 8,
  price: 2,
  'timetable-exception': 2,
  district: 1,
};

/** The doctors with a timetable in the demo data (their logins are the same on every desk). */
const DOCTORS = ['therapist', 'therapist2', 'therapist3', 'paediatrician', 'paediatrician2', 'gp', 'gp2'];
const STREETS: Array<[string, number]> = [
  ['Тұран д-лы', 120],
  ['Қабанбай батыр д-лы', 120],
  ['Мәңгілік Ел д-лы', 80],
  ['Абай д-лы', 90],
  ['Сейфуллин к-сі', 60],
  ['Жеңіс д-лы', 70],
];
const SURNAMES = ['Омаров', 'Әлиева', 'Беков', 'Сәрсенова', 'Ким', 'Иванова', 'Жұмабаев', 'Тоқтарова'];
const GIVEN = ['Асқар', 'Гүлнар', 'Ерлан', 'Айгерім', 'Дмитрий', 'Ольга', 'Нұржан', 'Мөлдір'];

export interface OperationStats {
  done: Record<OperationKind | 'resolve-lost' | 'erequest', number>;
  /** Refusals by the application, by operation and code (e.g. book: slot-taken). */
  refused: Record<string, number>;
  /** Anything else that went wrong: an internal error, a contract violation. Must stay empty. */
  errors: string[];
}

export function emptyStats(): OperationStats {
  const done = Object.fromEntries([...OPERATION_KINDS, 'resolve-lost', 'erequest'].map((k) => [k, 0])) as OperationStats['done'];
  return { done, refused: {}, errors: [] };
}

export interface World {
  random: () => number;
  desks: SimDesk[];
  stats: OperationStats;
  /** People entered by hand so far and the desk that entered them (a later one may enter the same IIN offline). */
  people: Array<{ iin: string; desk: number }>;
  iins: Set<string>;
  /** Sick days entered by the simulation, by their note (removable on any desk that has pulled them). */
  exceptionNotes: string[];
  counter: number;
  /** The citizens' portal (null until the desks are enrolled: it needs the clinic's BIN). */
  portal: SimPortal | null;
}

const pick = <T>(w: World, list: readonly T[]): T => list[Math.floor(w.random() * list.length)]!;
const chance = (w: World, p: number) => w.random() < p;

function draw(w: World): OperationKind {
  const total = OPERATION_KINDS.reduce((s, k) => s + WEIGHTS[k], 0);
  let x = w.random() * total;
  for (const k of OPERATION_KINDS) {
    x -= WEIGHTS[k];
    if (x < 0) return k;
  }
  return 'book';
}

/** Runs one operation drawn at random at the desk; refusals are counted, other failures recorded as errors. */
export async function runRandomOperation(w: World, desk: SimDesk): Promise<OperationKind> {
  const kind = draw(w);
  await attempt(w, kind, () => OPERATIONS[kind](w, desk));
  return kind;
}

/** The registrar calls back the patients whose provisional booking lost its slot: another slot, or a cancellation. */
export async function resolveLostBookings(w: World, desk: SimDesk): Promise<number> {
  const lost = lostAppointments(desk.app.db);
  for (const a of lost) {
    await attempt(w, 'resolve-lost', async () => {
      const slot = chance(w, 0.7) ? await freeSlot(w, desk, a.doctorId, 0, 7) : null;
      if (slot) await desk.registrar.call('appointments.reschedule', { id: a.id, slotStart: slot, reason: 'слот басқа үстелде алынды' });
      else await desk.registrar.call('appointments.cancel', { id: a.id, reason: 'слот басқа үстелде алынды' });
    });
  }
  return lost.length;
}

async function attempt(w: World, kind: OperationKind | 'resolve-lost' | 'erequest', fn: () => Promise<boolean | void>): Promise<void> {
  try {
    if ((await fn()) !== false) w.stats.done[kind]++;
  } catch (error) {
    if (error instanceof CallRefused && error.code !== 'internal' && error.code !== 'validation' && error.code !== 'storage') {
      const key = `${kind}: ${error.code}`;
      w.stats.refused[key] = (w.stats.refused[key] ?? 0) + 1;
    } else if (w.stats.errors.length < 50) w.stats.errors.push(`${kind}: ${(error as Error).message}`);
  }
}

const doctorId = (desk: SimDesk, login: string): number => {
  const id = desk.doctors.get(login);
  if (id === undefined) throw new Error(`no doctor ${login} on ${desk.name}`);
  return id;
};

/** A slot the free-slot search offers for the doctor, `fromDays`…`fromDays + days` days from today; null if none. */
async function freeSlot(w: World, desk: SimDesk, doctor: number, fromDays: number, days: number): Promise<string | null> {
  const from = dayNumberToIso(dayNumberOf(await today(desk)) + fromDays);
  const { slots } = await desk.registrar.call('appointments.freeSlots', { doctorId: doctor, from, days, limit: 60 });
  return slots.length ? pick(w, slots).start : null;
}

async function today(desk: SimDesk): Promise<string> {
  return (await desk.registrar.call('desk.overview', {})).today;
}

/** Someone to book: a person of the register or one entered by hand that this desk knows. */
function someone(w: World, desk: SimDesk): string {
  const manual = chance(w, 0.5) ? manualPeopleIins(desk.app.db) : [];
  return manual.length ? pick(w, manual) : pick(w, desk.registerIins);
}

function newIin(w: World): string {
  for (;;) {
    const day = Math.floor(w.random() * 25_000); // born 1950–2018
    const birth = dayNumberToIso(dayNumberOf('1950-01-01') + day);
    const iin = makeIin(birth, chance(w, 0.5) ? 'F' : 'M', 2000 + Math.floor(w.random() * 7000));
    if (!w.iins.has(iin)) {
      w.iins.add(iin);
      return iin;
    }
  }
}

const OPERATIONS: Record<OperationKind, (w: World, desk: SimDesk) => Promise<boolean | void>> = {
  async book(w, desk) {
    const doctor = doctorId(desk, pick(w, DOCTORS));
    const slot = await freeSlot(w, desk, doctor, Math.floor(w.random() * 8), 2);
    if (!slot) return false;
    await desk.registrar.call('appointments.book', {
      iin: someone(w, desk),
      doctorId: doctor,
      slotStart: slot,
      channel: pick(w, ['desk', 'phone'] as const),
    });
  },

  async cancel(w, desk) {
    const booked = bookedAppointments(desk.app.db, desk.app.clock().getTime());
    if (!booked.length) return false;
    await desk.registrar.call('appointments.cancel', { id: pick(w, booked).id, reason: 'науқас келе алмайды' });
  },

  async reschedule(w, desk) {
    const booked = bookedAppointments(desk.app.db, desk.app.clock().getTime());
    if (!booked.length) return false;
    const a = pick(w, booked);
    const other = chance(w, 0.3) ? doctorId(desk, pick(w, DOCTORS)) : a.doctorId;
    const slot = await freeSlot(w, desk, other, Math.floor(w.random() * 8), 2);
    if (!slot) return false;
    await desk.registrar.call('appointments.reschedule', {
      id: a.id,
      slotStart: slot,
      doctorId: other,
      reason: 'науқас басқа уақыт сұрады',
    });
  },

  async person(w, desk) {
    // Now and then, the same person walks into another desk that has not pulled them yet: entered twice, offline.
    const elsewhere = w.people.filter((p) => p.desk !== desk.index);
    let iin = chance(w, 0.1) && elsewhere.length ? pick(w, elsewhere).iin : newIin(w);
    if (await desk.registrar.call('people.findByIin', { iin })) iin = newIin(w);
    const [street, houses] = pick(w, STREETS);
    await desk.registrar.call('people.createManual', {
      iin,
      surname: pick(w, SURNAMES),
      givenName: pick(w, GIVEN),
      address: `Астана қ., ${street}, ${1 + Math.floor(w.random() * houses)}, ${1 + Math.floor(w.random() * 90)}`,
      phone: `+7 701 ${String(100 + Math.floor(w.random() * 900))} ${String(10 + Math.floor(w.random() * 90))} ${String(10 + Math.floor(w.random() * 90))}`,
    });
    w.people.push({ iin, desk: desk.index });
  },

  async 'home-visit'(w, desk) {
    const manual = manualPeopleIins(desk.app.db);
    if (!manual.length) return false;
    const iin = pick(w, manual);
    const r = await desk.registrar.call('districts.resolve', { iin });
    if (!r.doctor || !r.window || !r.district) return false;
    const person = await desk.registrar.call('people.findByIin', { iin });
    await desk.registrar.call('homeVisits.register', {
      iin,
      channel: 'phone',
      address: person!.address!,
      phone: person!.phone ?? null,
      complaint: 'Қызуы 38,5, жөтел',
      caller: 'self',
      districtId: r.district.id,
      doctorId: r.doctor.id,
      visitDate: r.window.date,
      windowFrom: r.window.from,
      windowTo: r.window.to,
    });
  },

  async payment(w, desk) {
    const iin = pick(w, desk.registerIins);
    const r = await desk.operator.call('requests.start', { serviceId: 'tb-certificate', channel: 'desk', iin });
    await desk.operator.call('registers.check', { requestId: r.id });
    await desk.operator.call('requests.completeStep', { requestId: r.id, stepId: 'journal-entry' });
    if (!(await desk.cashier.call('cash.shift', {}))) await desk.cashier.call('cash.openShift', {});
    await desk.cashier.call('cash.pay', { requestId: r.id, method: pick(w, ['cash', 'card'] as const) });
  },

  async price(w, desk) {
    // Few distinct start dates, so two desks often set the same price row: the last one the server received wins.
    const from = dayNumberToIso(dayNumberOf(await today(desk)) + 1 + Math.floor(w.random() * 3));
    const serviceId = pick(w, ['tb-certificate', 'psychoneurological-certificate', 'narcology-certificate']);
    await desk.admin.call('prices.set', { serviceId, feeKzt: 1000 + 50 * Math.floor(w.random() * 20), effectiveFrom: from });
  },

  async 'timetable-exception'(w, desk) {
    const login = pick(w, DOCTORS);
    const day = await today(desk);
    if (chance(w, 0.4) && w.exceptionNotes.length) {
      // Remove a sick day the simulation entered (on any desk), as this desk knows it.
      const week = await desk.admin.call('timetables.week', { doctorId: doctorId(desk, login), from: day });
      const ours = week.exceptions.filter((e) => e.note?.startsWith('sim-'));
      if (!ours.length) return false;
      await desk.admin.call('timetables.removeException', { id: pick(w, ours).id });
      return;
    }
    const on = dayNumberToIso(dayNumberOf(day) + 1 + Math.floor(w.random() * 5));
    const note = `sim-${++w.counter}`;
    await desk.admin.call('timetables.addException', { doctorId: doctorId(desk, login), kind: 'sick', from: on, to: on, note });
    w.exceptionNotes.push(note);
  },

  async district(w, desk) {
    const overview = await desk.registrar.call('desk.overview', {});
    const x = pick(w, overview.districts);
    await desk.admin.call('districts.save', {
      id: x.id,
      number: x.number,
      name: `${x.number}-учаске (${desk.name}, ${++w.counter})`,
      therapistId: x.therapist?.id ?? null,
      paediatricianId: x.paediatrician?.id ?? null,
      gpId: x.gp?.id ?? null,
      addresses: x.addresses.map((y) => ({ street: y.street, houseFrom: y.houseFrom, houseTo: y.houseTo, parity: y.parity })),
    });
  },
};

/**
 * A citizen signs an e-request on the portal and posts it, the portal's own generator choosing who, what and (for an
 * appointment) which doctor. Counted in `done.erequest`; a post the server could not take is sent again later.
 */
export async function postErequest(w: World, random: () => number): Promise<void> {
  const portal = w.portal;
  if (!portal) return;
  const own = { ...w, random };
  const type = chance(own, 0.6) ? 'home-visit' : 'appointment';
  const iin = pick(own, portal.writers);
  const doctor = type === 'appointment' ? pick(own, DOCTORS) : undefined;
  await attempt(w, 'erequest', () => portal.submit({ type, iin, doctor }));
}
