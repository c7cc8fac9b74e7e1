/**
 * One clinic, many desks (issue 13): three workstations enrolled in one organization against one real central
 * server, used through the API a person uses. Enrollment binds each desk to its organization and gives it its own
 * code (in every number it issues); a desk holding another organization's records is refused before the code is
 * used up; bookings form one calendar (a slot another desk holds is not offered, a cancelled one is freed on every
 * desk); what one desk enters — people, timetable exceptions, prices, districts — reaches the others, and two desks
 * editing one district end with the same version. Each case runs on PGlite and on a real PostgreSQL cluster.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIin } from '../../../common/iin';
import { findStaffByLogin } from '../../../db/staff';
import { generatePeople } from '../../../electron/services/demo-population';
import { getEnrollment } from '../../../db/sync';
import { createEnrollmentCode } from '../../../server/enrollment';
import { push } from '../../../server/push';
import { createTestWorkstation, type Caller, type TestWorkstation } from '../../helpers/app';
import { errorCode } from '../../helpers/api-errors';
import { workingDayClock, workingDaysAfter, type TestClock } from '../../helpers/clock';
import { RESOURCES_DIR } from '../../../electron/services/paths';
import { startPostgres, type PgCluster } from '../../helpers/postgres';
import { startTestServer, type Backend, type TestServer } from '../../helpers/sync-server';

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 120_000);
afterAll(async () => {
  await cluster?.close();
});

/**
 * A person of the demo population register, the same on every desk (seeded): an Astana desk serves no one entered
 * by hand (the regulation refuses a person missing from the register, issue 15 point 4).
 */
const REGISTERED = [...generatePeople(5, 2026)][0]!.iin;

const PROFILE = {
  name: { kk: '№4 қалалық емхана', ru: 'Городская поликлиника №4', en: 'City polyclinic No. 4' },
  region: 'astana',
  timezone: 'Asia/Almaty',
  address: 'Астана қ., Тұран д-лы, 1',
};

interface Desk {
  ws: TestWorkstation;
  admin: Caller;
  reg: Caller;
  sync(): Promise<void>;
}

describe.each<Backend>(['pglite', 'postgres'])('one clinic, many desks on %s', (backend) => {
  let s: TestServer;
  let clock: TestClock;
  let bin: string;
  const desks: Desk[] = [];

  async function desk(): Promise<Desk> {
    const ws = createTestWorkstation({ population: 5, clock: clock.read });
    const admin = await ws.as('admin');
    const reg = await ws.as('registrar');
    bin = (await admin.call('org.get', {})).bin;
    const { code } = await createEnrollmentCode(s.db, { orgBin: bin, profile: PROFILE, now: clock.now });
    const preview = await admin.call('sync.previewEnrollment', { serverUrl: s.url, code });
    expect(preview).toMatchObject({ orgBin: bin, organization: PROFILE, acceptable: true });
    await admin.call('sync.enroll', { serverUrl: s.url, code });
    const d: Desk = {
      ws,
      admin,
      reg,
      async sync() {
        const r = await admin.call('sync.now', {});
        if (!r.ok) throw new Error(`sync: ${r.blocked} ${r.error}`);
        expect(r).toMatchObject({ ok: true, pushed: { rejected: 0 } });
      },
    };
    desks.push(d);
    return d;
  }

  beforeAll(async () => {
    clock = workingDayClock('09:00');
    s = await startTestServer(backend, cluster, { clock: clock.read });
  }, 60_000);
  afterAll(async () => {
    desks.forEach((d) => d.ws.close());
    await s?.close();
  });

  it('binds each desk to the organization with its own code, which starts every number it issues', async () => {
    const [a, b, c] = [await desk(), await desk(), await desk()];
    const codes: string[] = [];
    for (const d of [a, b, c]) {
      const org = await d.admin.call('org.get', {});
      expect(org).toMatchObject({ bin, name: PROFILE.name, region: 'astana', timezone: 'Asia/Almaty' });
      codes.push(org.workstationPrefix);
    }
    expect(new Set(codes).size).toBe(3);
    codes.forEach((code) => expect(code).toMatch(/^D\d+$/));
    // The same kind of number on three desks: three different numbers, each readable as its desk's.
    // A person of the (same, seeded) demo population register on every desk: an Astana desk serves no one entered
    // by hand (the regulation refuses a person missing from the register).
    const iin = REGISTERED;
    const numbers = [];
    for (const [i, d] of [a, b, c].entries()) {
      if (i > 0) await d.sync();
      const doctor = findStaffByLogin(d.ws.app.db, 'therapist3')!;
      const { slots } = await d.reg.call('appointments.freeSlots', { doctorId: doctor.id, days: 1, limit: 10 });
      const booked = await d.reg.call('appointments.book', { iin, doctorId: doctor.id, slotStart: slots[i]!.start, channel: 'desk' });
      numbers.push(booked.number);
      await d.sync();
    }
    expect(new Set(numbers).size).toBe(3);
    numbers.forEach((n, i) => expect(n.startsWith(`${codes[i]}-`)).toBe(true));
    // The administrator sees the clinic's workstations, this desk first.
    await a.sync();
    const list = await a.admin.call('org.workstations', {});
    expect(list.map((w) => w.code).sort()).toEqual([...codes].sort());
    expect(list[0]).toMatchObject({ code: codes[0], thisDesk: true });
  });

  it('refuses a code of another organization on a desk holding records, before the code is used up', async () => {
    const ws = createTestWorkstation({ population: 5, clock: clock.read });
    try {
      const admin = await ws.as('admin');
      const reg = await ws.as('registrar');
      await reg.call('people.createManual', { iin: makeIin('1990-02-03', 'M', 42), surname: 'Беков', givenName: 'Ерлан' });
      const other = '990140000019';
      const { code } = await createEnrollmentCode(s.db, { orgBin: other, now: clock.now });
      expect(await admin.call('sync.previewEnrollment', { serverUrl: s.url, code })).toMatchObject({ orgBin: other, acceptable: false });
      expect(await errorCode(admin.call('sync.enroll', { serverUrl: s.url, code }))).toBe('org-mismatch');
      expect(await admin.call('sync.status', {})).toMatchObject({ enrolled: false });
      // Nothing reached the other organization, and the code is still good for a desk of that organization.
      const ops = await s.db.query(`SELECT 1 FROM sync_op WHERE org_bin = $1`, [other]);
      expect(ops.rowCount).toBe(0);
      expect(await admin.call('sync.previewEnrollment', { serverUrl: s.url, code })).toMatchObject({ orgBin: other });
    } finally {
      ws.close();
    }
  });

  it('bookings are one calendar: a slot another desk holds is not offered; a cancelled one is free again everywhere', async () => {
    const [a, b] = desks;
    const doctor = findStaffByLogin(a!.ws.app.db, 'therapist3')!;
    const iin = REGISTERED;
    const free = async (d: Desk) =>
      (await d.reg.call('appointments.freeSlots', { doctorId: doctor.id, days: 1, limit: 200 })).slots.map((x) => x.start);
    const slot = (await free(a!))[3]!;
    const booked = await a!.reg.call('appointments.book', { iin, doctorId: doctor.id, slotStart: slot, channel: 'desk' });
    await a!.sync();
    expect((await a!.reg.call('appointments.ofPerson', { iin })).find((x) => x.id === booked.id)).toMatchObject({
      id: booked.id,
      sync: 'confirmed',
    });
    await b!.sync();
    expect(await free(b!)).not.toContain(slot);
    expect(await errorCode(b!.reg.call('appointments.book', { iin, doctorId: doctor.id, slotStart: slot, channel: 'phone' }))).toBe(
      'slot-taken',
    );

    await a!.reg.call('appointments.cancel', { id: booked.id, reason: 'науқас қоңырау шалды' });
    await a!.sync();
    await b!.sync();
    expect(await free(b!)).toContain(slot);
    const again = await b!.reg.call('appointments.book', { iin, doctorId: doctor.id, slotStart: slot, channel: 'phone' });
    await b!.sync();
    expect((await b!.reg.call('appointments.ofPerson', { iin })).find((x) => x.id === again.id)).toMatchObject({ sync: 'confirmed' });
    await a!.sync();
    expect(await free(a!)).not.toContain(slot);
  });

  it('what one desk enters reaches the others: people, timetable exceptions, prices', async () => {
    const [a, b, c] = desks;
    const iin = makeIin('1977-09-10', 'M', 43);
    expect(await b!.reg.call('people.findByIin', { iin })).toBeNull();
    await a!.reg.call('people.createManual', { iin, surname: 'Омаров', givenName: 'Асқар', phone: '+7 702 000 00 01' });
    const doctor = findStaffByLogin(a!.ws.app.db, 'gp2')!;
    const day = clock.today();
    const leave = await a!.admin.call('timetables.addException', { doctorId: doctor.id, kind: 'sick', from: day, to: day });
    await a!.admin.call('prices.set', { serviceId: 'tb-certificate', feeKzt: 1750, effectiveFrom: day });
    await a!.sync();
    for (const d of [b!, c!]) {
      await d.sync();
      expect(await d.reg.call('people.findByIin', { iin })).toMatchObject({ surname: 'Омаров', source: 'manual' });
      const local = findStaffByLogin(d.ws.app.db, 'gp2')!;
      const week = await d.admin.call('timetables.week', { doctorId: local.id, from: day });
      expect(week.exceptions).toEqual([expect.objectContaining({ kind: 'sick', from: day, to: day })]);
      expect(await d.admin.call('prices.list', {})).toContainEqual(
        expect.objectContaining({ serviceId: 'tb-certificate', feeKzt: 1750, effectiveFrom: day, effectiveTo: null }),
      );
    }
    // Removed on another desk: removed everywhere.
    const onB = (await b!.admin.call('timetables.week', { doctorId: findStaffByLogin(b!.ws.app.db, 'gp2')!.id, from: day })).exceptions[0]!;
    await b!.admin.call('timetables.removeException', { id: onB.id });
    await b!.sync();
    await a!.sync();
    expect((await a!.admin.call('timetables.week', { doctorId: doctor.id, from: day })).exceptions).toEqual([]);
    expect(leave.exception.kind).toBe('sick');
  });

  it('two desks edit one district offline: both end with the version the server received last', async () => {
    const [a, b] = desks;
    const districtOf = async (d: Desk) => (await d.reg.call('desk.overview', {})).districts.find((x) => x.number === '1')!;
    const save = async (d: Desk, name: string) => {
      const x = await districtOf(d);
      return d.admin.call('districts.save', {
        id: x.id,
        number: x.number,
        name,
        therapistId: x.therapist?.id ?? null,
        paediatricianId: x.paediatrician?.id ?? null,
        gpId: x.gp?.id ?? null,
        addresses: x.addresses.map((y) => ({ street: y.street, houseFrom: y.houseFrom, houseTo: y.houseTo, parity: y.parity })),
      });
    };
    await save(a!, '1-учаске (А)');
    await save(b!, '1-учаске (Б)');
    await a!.sync(); // the server receives A's version first…
    await b!.sync(); // …then B's: B's is the last.
    await a!.sync();
    expect((await districtOf(a!)).name).toBe('1-учаске (Б)');
    expect((await districtOf(b!)).name).toBe('1-учаске (Б)');
  });

  it('a booking that lost its slot to another desk is listed for its registrar, moved, and the issue resolved', async () => {
    const [a, b] = desks;
    const iin = REGISTERED;
    const doctorA = findStaffByLogin(a!.ws.app.db, 'therapist3')!;
    const doctorB = findStaffByLogin(b!.ws.app.db, 'therapist3')!;
    const { slots } = await a!.reg.call('appointments.freeSlots', { doctorId: doctorA.id, days: 1, limit: 50 });
    const slot = slots[slots.length - 1]!.start;
    // Both desks book the same slot before either syncs: A reaches the server first.
    await a!.reg.call('appointments.book', { iin, doctorId: doctorA.id, slotStart: slot, channel: 'desk' });
    const lost = await b!.reg.call('appointments.book', { iin, doctorId: doctorB.id, slotStart: slot, channel: 'phone' });
    expect(await b!.reg.call('appointments.lost', {})).toEqual([]);
    await a!.sync();
    await b!.sync();
    expect(await b!.reg.call('appointments.lost', {})).toEqual([expect.objectContaining({ id: lost.id, sync: 'conflict' })]);
    // The registrar who made it moves it to a slot that is really free (the winner's is not offered).
    const free = (await b!.reg.call('appointments.freeSlots', { doctorId: doctorB.id, days: 1, limit: 50 })).slots.map((x) => x.start);
    expect(free).not.toContain(slot);
    const moved = await b!.reg.call('appointments.reschedule', { id: lost.id, slotStart: free[0]! });
    expect(await b!.reg.call('appointments.lost', {})).toEqual([]);
    await b!.sync();
    expect((await b!.reg.call('appointments.ofPerson', { iin })).find((x) => x.id === moved.id)).toMatchObject({ sync: 'confirmed' });
    const [issue] = await b!.admin.call('sync.issues', {});
    expect(issue).toMatchObject({ code: 'slot-taken', status: 'conflict' });
    await b!.reg.call('sync.resolveIssue', { id: issue!.id });
    expect(await b!.admin.call('sync.issues', {})).toEqual([]);
    expect(await errorCode(b!.reg.call('sync.resolveIssue', { id: issue!.id }))).toBe('not-found');
  });

  it('the organization’s profile edited on one desk reaches the others; a bad zone is refused by name', async () => {
    const [a, b, c] = desks;
    const profile = { ...PROFILE, name: { ...PROFILE.name, ru: 'Городская поликлиника №4 им. Абая' } };
    expect(await errorCode(a!.admin.call('org.update', { ...profile, timezone: 'Asia/Nowhere' }))).toBe('validation');
    await a!.admin.call('org.update', profile);
    await a!.sync();
    for (const d of [b!, c!]) {
      await d.sync();
      expect((await d.admin.call('org.get', {})).name.ru).toBe('Городская поликлиника №4 им. Абая');
    }
  });

  it('a desk enrolled again keeps its code, and what it sent before still counts as its own', async () => {
    const a = desks[0]!;
    const before = getEnrollment(a.ws.app.db)!;
    const prefix = (await a.admin.call('org.get', {})).workstationPrefix;
    const sent = await s.db.query<{ op_id: string; batch_id: string }>(
      `SELECT op_id, batch_id FROM sync_op WHERE workstation_id = $1 LIMIT 1`,
      [before.workstationId],
    );
    const { code } = await createEnrollmentCode(s.db, { orgBin: bin, now: clock.now });
    const again = await a.admin.call('sync.enroll', { serverUrl: s.url, code });
    expect(again.workstationId).not.toBe(before.workstationId);
    expect(again.workstationCode).toBe(prefix);
    const old = await s.db.query<{ revoked_at: unknown }>(`SELECT revoked_at FROM workstation WHERE id = $1`, [before.workstationId]);
    expect(old.rows[0]!.revoked_at).not.toBeNull();
    // A batch the old credential sent, sent again under the new one (its answer was lost): a duplicate, not a stranger's.
    const op = sent.rows[0]!;
    const answer = await push(
      s.db,
      { id: again.workstationId, orgBin: bin, replaces: before.workstationId },
      {
        batch_id: `again-${op.batch_id}`.slice(0, 64),
        ops: [{ op_id: op.op_id, kind: 'note.create', entity: 'note', entity_id: '1', payload: {}, created_at: clock.now.toISOString() }],
      },
    );
    expect(answer.results[0]).toMatchObject({ op_id: op.op_id, status: 'duplicate' });
    await a.sync();
  });

  it('a regulation imported on one desk is in force on every desk', async () => {
    const [a, b] = desks;
    const def = JSON.parse(fs.readFileSync(path.join(RESOURCES_DIR, 'regulations', 'astana-2013', 'appointment.json'), 'utf8'));
    const from = workingDaysAfter(clock.today(), 20);
    Object.assign(def, { act: { issuer: def.act.issuer, number: '77-2026', date: clock.today() }, effectiveFrom: from, effectiveTo: null });
    const r = await a!.admin.call('regulations.import', { fileName: 'appointment-next.json', text: JSON.stringify(def) });
    await a!.sync();
    await b!.sync();
    const upcoming = (await b!.reg.call('regulations.inForce', {})).upcoming.map((u) => u.key);
    expect(upcoming).toContain(r.imported.key);
  });

  it('an interim internal standard adopted or closed on one desk applies on every desk', async () => {
    const [a, b] = desks;
    // Each demo desk adopted the repealed Astana act at its seeding; one desk closes it, for the whole clinic.
    await a!.admin.call('regulations.closeAdoption', { key: 'astana/106-1923', reason: 'Бұйрық №12 / Приказ №12' });
    await a!.sync();
    await b!.sync();
    const seen = await b!.reg.call('regulations.standing', {});
    expect(seen.active).toEqual([]);
    expect(seen.adoptions[0]).toMatchObject({ key: 'astana/106-1923', closed: { reason: 'Бұйрық №12 / Приказ №12', on: clock.today() } });
    expect(seen.lapsed.map((x) => x.number)).toEqual(['106-1923']);
    const iin = makeIin('1991-01-01', 'F', 71);
    expect(await errorCode(b!.reg.call('requests.start', { serviceId: 'home-visit', channel: 'desk', iin }))).toBe('service-not-in-force');
    // Adopted again on the other desk, with who and why: the first desk works by it again.
    const again = await b!.admin.call('regulations.adopt', { actNumber: '106-1923', reason: 'Жаңа акт күтілуде / Ожидается новый акт' });
    expect(again.adoptedBy.login).toBe('admin');
    await b!.sync();
    await a!.sync();
    const onA = await a!.reg.call('regulations.standing', {});
    expect(onA.active).toEqual([
      expect.objectContaining({ key: 'astana/106-1923', reason: 'Жаңа акт күтілуде / Ожидается новый акт', closed: null }),
    ]);
    expect((await a!.reg.call('requests.start', { serviceId: 'home-visit', channel: 'desk', iin })).definitionKey).toBe(
      'astana/home-visit@2013-02-19',
    );
  });

  it('register entries imported on one desk reach only the desks that check the registers', async () => {
    const [a, b, c] = desks;
    await a!.admin.call('org.setRegistersHere', { enabled: true });
    await c!.admin.call('org.setRegistersHere', { enabled: true });
    expect(await b!.admin.call('org.registersHere', {})).toEqual({ enabled: false, enrolled: true });
    const onRegister = makeIin('1969-04-04', 'M', 44);
    const csv = `iin,from_date,removed_on\n${onRegister},2019-05-06,\n`;
    await a!.admin.call('registers.import', { register: 'tb', fileName: 'tb.csv', text: csv });
    for (const d of [a!, b!, c!]) await d.sync();
    await a!.sync();
    const entries = (d: Desk) => d.ws.app.db.prepare(`SELECT register, iin, from_date FROM register_entry WHERE iin = ?`).all(onRegister);
    expect(entries(c!)).toEqual([{ register: 'tb', iin: onRegister, from_date: '2019-05-06' }]);
    expect(entries(b!)).toEqual([]);
    // Turning it off deletes them here; turning it on again brings them back from the current state.
    await c!.admin.call('org.setRegistersHere', { enabled: false });
    expect(entries(c!)).toEqual([]);
    await c!.sync();
    await c!.admin.call('org.setRegistersHere', { enabled: true });
    await c!.sync();
    expect(entries(c!)).toHaveLength(1);
  });
});
