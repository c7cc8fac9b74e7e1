import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomBytes, scryptSync } from 'node:crypto';
import { api, API_METHODS } from '../../../common/api';
import { ROLES } from '../../../common/roles';
import { listAudit } from '../../../db/audit';
import { countPendingOutbox } from '../../../db/outbox';
import { openSwapWindow } from '../../../db/swap-window';
import { createTestWorkstation, TEST_PASSWORD, type TestWorkstation } from '../../helpers/app';

let ws: TestWorkstation;
beforeEach(() => {
  ws = createTestWorkstation();
});
afterEach(() => ws.close());

/** One demo login per role. */
const LOGIN_OF_ROLE = {
  registrar: 'registrar',
  operator: 'operator',
  cashier: 'cashier',
  physician: 'therapist',
  nurse: 'nurse',
  administrator: 'admin',
} as const;

describe('the dispatcher', () => {
  it('refuses every non-public method before login', async () => {
    const anon = ws.anonymous();
    for (const m of API_METHODS) {
      const r = await anon.raw(m, {});
      if (api[m].access === 'public') continue;
      expect(r, m).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
  });

  it('enforces each method’s roles for every role, before looking at the arguments', async () => {
    for (const role of ROLES) {
      const c = await ws.as(LOGIN_OF_ROLE[role]);
      for (const m of API_METHODS) {
        const access = api[m].access;
        if (access === 'public' || access === 'staff') continue;
        const r = await c.raw(m, { nonsense: true });
        if (access.includes(role)) expect(r, `${role} ${m}`).toMatchObject({ ok: false, error: { code: 'validation' } });
        else expect(r, `${role} ${m}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
  });

  it('a registrar cannot manage staff, even by calling the API directly', async () => {
    const reg = await ws.as('registrar');
    expect(await reg.raw('staff.create', { login: 'evil', fullName: 'Evil Person', role: 'administrator' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await reg.raw('staff.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('names the wrong fields of a malformed call and rejects unknown methods and extra fields', async () => {
    const reg = await ws.as('registrar');
    const r = await reg.raw('people.search', { query: '', limit: 500 });
    expect(r).toMatchObject({ ok: false, error: { code: 'validation' } });
    expect(r.ok ? [] : r.error.fields).toEqual(expect.arrayContaining(['query', 'limit']));
    expect(await reg.raw('people.search', { query: 'a', sql: 'DROP TABLE person' })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    expect(await reg.raw('people.drop', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await reg.raw('__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(await reg.raw('people.search', null)).toMatchObject({ ok: false, error: { code: 'validation' } });
  });
});

describe('log-in', () => {
  it('counts wrong passwords and locks after five; a known login answers exactly as an unknown one', async () => {
    const anon = ws.anonymous();
    const unknown = await anon.raw('session.login', { login: 'nobody-here', password: 'wrong-1' });
    for (let i = 1; i <= 4; i++) {
      const known = await anon.raw('session.login', { login: 'cashier', password: 'wrong-1' });
      expect(known).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
      // The same answer (no count of tries left that only a real account would have).
      expect(known.ok ? null : known.error).toEqual(unknown.ok ? undefined : unknown.error);
    }
    expect(await anon.raw('session.login', { login: 'cashier', password: 'wrong-1' })).toMatchObject({
      ok: false,
      error: { code: 'account-locked' },
    });
    // Even the right password is refused while locked.
    expect(await anon.raw('session.login', { login: 'cashier', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'account-locked' },
    });
    expect(listAudit(ws.app.db, { entity: 'staff' }).map((a) => a.action)).toContain('session.locked');
  });

  it('a password hashed with the old, weaker scrypt cost is hashed again at the next successful login', async () => {
    const salt = randomBytes(16);
    const old = `scrypt$16384$8$1$${salt.toString('base64')}$${scryptSync(TEST_PASSWORD, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64')}`;
    ws.app.db.prepare(`UPDATE staff SET password_hash = ? WHERE login = 'operator'`).run(old);
    expect(await ws.anonymous().raw('session.login', { login: 'operator', password: TEST_PASSWORD })).toMatchObject({ ok: true });
    const now = ws.app.db.prepare(`SELECT password_hash FROM staff WHERE login = 'operator'`).pluck(true).get() as string;
    expect(now).toMatch(/^scrypt\$65536\$8\$1\$/);
    expect(await ws.anonymous().raw('session.login', { login: 'operator', password: TEST_PASSWORD })).toMatchObject({ ok: true });
  });

  it('the lock ends after 15 minutes, and an administrator’s reset ends it at once', async () => {
    let now = new Date('2026-11-20T08:00:00Z');
    ws.close();
    ws = createTestWorkstation({ clock: () => now });
    const anon = ws.anonymous();
    for (let i = 0; i < 5; i++) await anon.raw('session.login', { login: 'nurse', password: 'wrong-1' });
    now = new Date('2026-11-20T08:16:00Z');
    expect(await anon.raw('session.login', { login: 'nurse', password: TEST_PASSWORD })).toMatchObject({ ok: true });

    for (let i = 0; i < 5; i++) await anon.raw('session.login', { login: 'cashier', password: 'wrong-1' });
    const admin = await ws.as('admin');
    const staff = await admin.call('staff.list', {});
    const cashier = staff.find((s) => s.login === 'cashier')!;
    expect(cashier.locked).toBe(true);
    const { temporaryPassword } = await admin.call('staff.resetPassword', { id: cashier.id });
    expect(await anon.raw('session.login', { login: 'cashier', password: temporaryPassword })).toMatchObject({
      ok: true,
      value: { staff: { mustChangePassword: true } },
    });
  });

  it('does not tell unknown logins from wrong passwords', async () => {
    const anon = ws.anonymous();
    const r = await anon.raw('session.login', { login: 'nobody', password: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad-credentials' } });
  });

  it('a disabled account is refused, and a session of an account disabled meanwhile ends at its next call', async () => {
    const nurse = await ws.as('nurse');
    const admin = await ws.as('admin');
    const id = (await admin.call('staff.list', {})).find((s) => s.login === 'nurse')!.id;
    await admin.call('staff.setDisabled', { id, disabled: true });
    expect(await nurse.raw('people.search', { query: 'а' })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await ws.anonymous().raw('session.login', { login: 'nurse', password: TEST_PASSWORD })).toMatchObject({
      ok: false,
      error: { code: 'account-disabled' },
    });
    expect(await admin.raw('staff.setDisabled', { id: admin.slot.staffId!, disabled: true })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
  });

  it('remembers the language per user', async () => {
    const reg = await ws.as('registrar');
    await reg.call('session.setLanguage', { language: 'ru' });
    await reg.call('session.logout', {});
    const again = await ws.as('registrar');
    expect((await again.call('session.current', {}))?.staff.language).toBe('ru');
    expect((await (await ws.as('cashier')).call('session.current', {}))?.staff.language).toBe('kk');
  });
});

describe('staff administration', () => {
  it('creates an account with a temporary password that must be changed before any work', async () => {
    const admin = await ws.as('admin');
    const { staff, temporaryPassword } = await admin.call('staff.create', {
      login: 'New.Doc',
      fullName: 'Дана Әлиева',
      iin: null,
      role: 'physician',
      specialty: 'gp',
    });
    expect(staff).toMatchObject({ login: 'new.doc', role: 'physician', specialty: 'gp', mustChangePassword: true });
    expect(countPendingOutbox(ws.app.db)).toBeGreaterThan(0);
    const doc = ws.anonymous();
    await doc.call('session.login', { login: 'new.doc', password: temporaryPassword });
    expect(await doc.raw('people.search', { query: 'а' })).toMatchObject({ ok: false, error: { code: 'password-change-required' } });
    expect(await doc.raw('session.changePassword', { current: temporaryPassword, next: 'short' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: ['next'] },
    });
    await doc.call('session.changePassword', { current: temporaryPassword, next: 'Jana-parol-2026' });
    expect(await doc.raw('people.search', { query: 'а' })).toMatchObject({ ok: true });
  });

  it('refuses a taken login, a physician without a specialty and an invalid IIN', async () => {
    const admin = await ws.as('admin');
    expect(await admin.raw('staff.create', { login: 'registrar', fullName: 'Someone Else', role: 'registrar' })).toMatchObject({
      ok: false,
      error: { code: 'conflict', fields: ['login'] },
    });
    expect(await admin.raw('staff.create', { login: 'doc2', fullName: 'Doctor Two', role: 'physician' })).toMatchObject({
      ok: false,
      error: { code: 'validation', fields: ['specialty'] },
    });
    expect(await admin.raw('staff.create', { login: 'doc3', fullName: 'Doctor Three', role: 'nurse', iin: '123456789012' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-iin' },
    });
  });
});

describe('sessions on a shared desk', () => {
  it('a locked screen allows only unlocking; a wrong password counts; the right one brings the same session back', async () => {
    let now = new Date('2026-11-20T08:00:00Z');
    ws.close();
    ws = createTestWorkstation({ clock: () => now });
    const reg = await ws.as('registrar');
    expect(await reg.call('session.current', {})).toMatchObject({ locked: false, idleMinutes: 10 });
    await reg.call('session.lock', {});
    expect(await reg.raw('people.search', { query: 'Ас', limit: 5 })).toMatchObject({ ok: false, error: { code: 'session-locked' } });
    expect(await reg.call('session.current', {})).toMatchObject({ locked: true, staff: { login: 'registrar' } });
    expect(await reg.raw('session.unlock', { password: 'wrong-1' })).toMatchObject({
      ok: false,
      error: { code: 'bad-credentials', fields: ['password'] },
    });
    expect(await reg.raw('people.search', { query: 'Ас', limit: 5 })).toMatchObject({ ok: false, error: { code: 'session-locked' } });
    expect(await reg.call('session.unlock', { password: TEST_PASSWORD })).toMatchObject({ locked: false });
    expect(await reg.raw('people.search', { query: 'Ас', limit: 5 })).toMatchObject({ ok: true });
    // The administrator sets the organization's idle time; it is what every session is told.
    const admin = await ws.as('admin');
    await admin.call('session.setIdleMinutes', { minutes: 3 });
    expect(await reg.call('session.current', {})).toMatchObject({ idleMinutes: 3 });
    expect(await reg.raw('session.setIdleMinutes', { minutes: 3 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // Twelve hours after log-in the session ends, locked or not.
    now = new Date('2026-11-20T20:00:01Z');
    expect(await reg.raw('people.search', { query: 'Ас', limit: 5 })).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    expect(await reg.call('session.current', {})).toBeNull();
  });

  it('five wrong passwords at the lock screen end the session and lock the account', async () => {
    const c = await ws.as('cashier');
    await c.call('session.lock', {});
    for (let i = 0; i < 4; i++) await c.raw('session.unlock', { password: 'wrong-1' });
    expect(await c.raw('session.unlock', { password: 'wrong-1' })).toMatchObject({ ok: false, error: { code: 'account-locked' } });
    expect(await c.call('session.current', {})).toBeNull();
  });
});

describe('a call that meets a register swap', () => {
  /** The app's log events, kept (the test workstation's log is silent). */
  const logged = () => {
    const events: Array<{ event: string; data?: Record<string, unknown> }> = [];
    const keep = (event: string, data?: Record<string, unknown>) => void events.push({ event, data });
    ws.app.log = { info: keep, warn: keep, error: keep };
    return events;
  };

  it('saves after the swap, without holding the event loop meanwhile; reads answer at once', async () => {
    const events = logged();
    const reg = await ws.as('registrar');
    // The import's finishing step on a connection of its own, its swap holding the write lock (db/people-load.ts).
    const swap = new Database(ws.app.db.name);
    const release = openSwapWindow(ws.app.db);
    swap.exec("BEGIN IMMEDIATE; UPDATE staff SET full_name = full_name WHERE login = 'admin'");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    try {
      let settled = false;
      const saving = reg.raw('session.setLanguage', { language: 'ru' }).then((r) => ((settled = true), r));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false); // waiting for the swap…
      expect(ticks).toBeGreaterThan(20); // …with the event loop running
      expect(await reg.raw('people.search', { query: 'а' })).toMatchObject({ ok: true }); // a read meanwhile
      swap.exec('COMMIT');
      release();
      expect(await saving).toMatchObject({ ok: true });
    } finally {
      clearInterval(timer);
      swap.close();
    }
    expect((await reg.call('session.current', {}))?.staff.language).toBe('ru');
    expect(events.filter((e) => e.event === 'api.waited-for-register-swap')).toEqual([
      { event: 'api.waited-for-register-swap', data: { method: 'session.setLanguage', attempt: 1 } },
    ]);
    expect(events.filter((e) => e.event === 'api.storage')).toEqual([]);
  });

  it('is a storage fault, as before, when the database is busy with no swap: nothing is retried', async () => {
    const events = logged();
    const reg = await ws.as('registrar');
    const other = new Database(ws.app.db.name);
    ws.app.db.pragma('busy_timeout = 50'); // not the desk's 5 s: the test would wait that long
    other.exec("BEGIN IMMEDIATE; UPDATE staff SET full_name = full_name WHERE login = 'admin'");
    try {
      expect(await reg.raw('session.setLanguage', { language: 'ru' })).toMatchObject({
        ok: false,
        error: { code: 'storage', params: { sqlite: 'SQLITE_BUSY' } },
      });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(events.some((e) => e.event === 'api.waited-for-register-swap')).toBe(false);
  });
});
