/** A real workstation on a real SQLite file in a temporary folder, with demo staff whose passwords are known. */
import { hashPasswordSync } from '../../electron/services/passwords';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiArgs, ApiMethod, ApiResult } from '../../common/api';
import type { Result } from '../../common/errors';
import { parseIin } from '../../common/iin';
import { personRecord } from '../../common/schemas';
import { upsertPerson } from '../../db/people';
import { closeApp, openApp, type AppContext } from '../../electron/services/app';
import type { SessionSlot } from '../../electron/services/auth';
import { adoptLapsedActs, DEMO_ACCOUNTS, seedDemoData } from '../../electron/services/demo-data';
import { resetWorkflowCaches } from '../../electron/services/workflow/context';
import { dispatch } from '../../electron/services/dispatcher';
import { silentLogger } from '../../electron/services/log';
import { keyFileOf } from '../../electron/services/secrets';

export const TEST_PASSWORD = 'test-pass-1';

export function tempDir(prefix = 'tirkeu-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface TestWorkstation {
  app: AppContext;
  dir: string;
  /** A logged-in session of the given demo login. */
  as(login: string): Promise<Caller>;
  anonymous(): Caller;
  close(): void;
}

export interface Caller {
  slot: SessionSlot;
  raw(method: string, args?: unknown): Promise<Result<unknown>>;
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
}

export function caller(app: AppContext, slot: SessionSlot = { staffId: null }): Caller {
  return {
    slot,
    raw: (method, args = {}) => dispatch(app, slot, method, args),
    async call(method, args) {
      const r = await dispatch(app, slot, method, args);
      if (!r.ok) throw Object.assign(new Error(`${method}: ${r.error.code} ${r.error.message}`), { data: r.error });
      return r.value as never;
    },
  };
}

/** One scrypt hash of the test password per test process (2^16 costs ~0.2 s; a suite opens hundreds of desks). */
let testHash: string | null = null;
function testPasswordHash(password: string): string {
  if (password !== TEST_PASSWORD) return hashPasswordSync(password);
  return (testHash ??= hashPasswordSync(TEST_PASSWORD));
}

/** The reason the test clinic records for working by a repealed act (printed: so Kazakh and Russian, no English). */
export const TEST_ADOPTION_REASON = 'Сынақ клиникасы / Тестовая клиника';

/**
 * Tests run on today's date, long after both shipped acts were repealed (issue 15, point 3): like the demo clinic,
 * a test clinic moved to another region adopts that region's repealed acts explicitly, as its administrator.
 */
export function adoptRegionActs(app: AppContext): void {
  resetWorkflowCaches(app);
  adoptLapsedActs(app, 'admin', TEST_ADOPTION_REASON);
}

/**
 * A person as the population register (ЖТ МДБ) has them: birth date and sex from the IIN. An Astana desk serves
 * no one entered by hand (the regulation refuses a person missing from the register), so tests seed people here.
 */
export function addToRegister(
  app: AppContext,
  p: { iin: string; surname: string; givenName: string; patronymic?: string | null; address?: string | null; phone?: string | null },
): void {
  const parsed = parseIin(p.iin);
  if (!parsed.valid) throw new Error(`a test person's IIN is invalid: ${parsed.reason}`);
  upsertPerson(app.db, personRecord(p, parsed, 'register'), app.clock());
}

export function createTestWorkstation(options: { population?: number; clock?: () => Date } = {}): TestWorkstation {
  const dir = tempDir();
  const { app } = openApp({ dataDir: dir, log: silentLogger, clock: options.clock });
  seedDemoData(app, {
    population: options.population ?? 300,
    passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, TEST_PASSWORD])),
    hash: testPasswordHash,
  });
  return {
    app,
    dir,
    async as(login) {
      const c = caller(app);
      await c.call('session.login', { login, password: TEST_PASSWORD });
      return c;
    },
    anonymous: () => caller(app),
    close() {
      closeApp(app);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(keyFileOf(dir), { force: true });
    },
  };
}
