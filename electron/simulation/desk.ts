/**
 * One workstation of the simulated clinic (issue 13): a real SQLite file in its own temporary folder with the demo
 * staff, enrolled with the central server as an administrator does it, and the people who work at it — the
 * administrator, a registrar, an operator and a cashier — each a logged-in session calling the same dispatcher the
 * user interface calls. Its sync runs when the simulation says so (an offline desk simply does not sync), and after
 * each round the desk processes its e-request inbox as the application's background round does (claim the new
 * ones from the server, register those granted).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ApiArgs, ApiMethod, ApiResult } from '../../common/api';
import type { Clock } from '../../common/clock';
import type { OrgProfile } from '../../common/organization';
import { registerIins, staffIds } from '../../db/clinic-snapshot';
import { syncCredential } from '../services/sealed-settings';
import { closeApp, openApp, type AppContext } from '../services/app';
import type { SessionSlot } from '../services/auth';
import { DEMO_ACCOUNTS, seedDemoData } from '../services/demo-data';
import { hashPasswordSync } from '../services/passwords';
import { dispatch } from '../services/dispatcher';
import { silentLogger } from '../services/log';
import type { RoundResult } from '../services/sync/engine';
import { createEnrollmentCode } from '../../server/enrollment';
import type { ServerDb } from '../../server/db';

/** A refusal the application gives a person (slot taken, date in the past…): part of the simulation, not a failure. */
export class CallRefused extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
  ) {
    super(`${method}: ${code} ${message}`);
  }
}

export interface Session {
  call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>>;
}

function session(app: AppContext, slot: SessionSlot): Session {
  return {
    async call(method, args) {
      const r = await dispatch(app, slot, method, args);
      if (!r.ok) throw new CallRefused(method, r.error.code, r.error.message);
      return r.value as never;
    },
  };
}

async function login(app: AppContext, who: string, password: string): Promise<Session> {
  const slot: SessionSlot = { staffId: null };
  const s = session(app, slot);
  await s.call('session.login', { login: who, password });
  return s;
}

export interface DeskOptions {
  index: number;
  clock: Clock;
  /** People of the demo population register on each desk. */
  population: number;
  server: { url: string; db: ServerDb };
  profile: OrgProfile;
}

export class SimDesk {
  /** The workstation's own code (D1, D2…), the prefix of every number it issues. */
  code = '';
  workstationId = '';
  /** The workstation's credential with the central server (the proxy cuts an offline desk off by it). */
  credential = '';
  orgBin = '';
  /** No sync before this step of the simulation (the desk is offline until then). */
  offlineUntil = 0;
  nextSyncAt = 0;
  syncRounds = 0;
  syncFailures = 0;
  syncMs = 0;
  /** E-request inbox rounds: new ones processed (registered) here, seen as taken by another desk, registrations lost to another desk. */
  erequests = { processed: 0, taken: 0, lost: 0 };
  /** Staff ids by login on this desk (ids differ from desk to desk). */
  doctors = new Map<string, number>();
  /** People of the population register on this desk (the same on every desk). */
  registerIins: string[] = [];
  private inFlight: Promise<RoundResult> | null = null;

  private constructor(
    readonly index: number,
    readonly app: AppContext,
    readonly dir: string,
    readonly admin: Session,
    readonly registrar: Session,
    readonly operator: Session,
    readonly cashier: Session,
  ) {}

  static async open(o: DeskOptions): Promise<SimDesk> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tirkeu-sim-desk${o.index + 1}-`));
    const { app } = openApp({ dataDir: dir, log: silentLogger, clock: o.clock });
    // One password for the demo accounts of this run: the simulation logs them in, nobody else ever sees it.
    const password = `sim-${o.index}-${path.basename(dir)}`;
    // One scrypt for the twelve accounts that share it (each costs ~0.2 s).
    const hash = hashPasswordSync(password);
    seedDemoData(app, {
      population: o.population,
      passwords: Object.fromEntries(DEMO_ACCOUNTS.map((a) => [a.login, password])),
      hash: () => hash,
    });
    const [admin, registrar, operator, cashier] = await Promise.all(
      ['admin', 'registrar', 'operator', 'cashier'].map((who) => login(app, who, password)),
    );
    const desk = new SimDesk(o.index, app, dir, admin!, registrar!, operator!, cashier!);
    const org = await admin!.call('org.get', {});
    const { code } = await createEnrollmentCode(o.server.db, { orgBin: org.bin, profile: o.profile, now: o.clock() });
    const enrolled = await admin!.call('sync.enroll', { serverUrl: o.server.url, code });
    desk.code = enrolled.workstationCode;
    desk.workstationId = enrolled.workstationId;
    desk.orgBin = enrolled.orgBin;
    desk.credential = syncCredential(app) ?? '';
    // The simulated clinic's acts were repealed long ago: like a real clinic, its administrator adopts them as the
    // organization's interim internal standard (issue 15, point 3), shared with the other desks through sync.
    for (const act of (await admin!.call('regulations.standing', {})).lapsed) {
      await admin!.call('regulations.adopt', { actNumber: act.number, reason: 'Жаңа регламент күтілуде / Ожидается новый регламент' });
    }
    desk.doctors = staffIds(app.db);
    desk.registerIins = registerIins(app.db, 1_000);
    return desk;
  }

  get name(): string {
    return this.code || `desk ${this.index + 1}`;
  }

  get syncing(): boolean {
    return this.inFlight !== null;
  }

  /**
   * One sync round as the administrator's "sync now" does it (push everything queued, pull to the head), then one
   * round of the e-request inbox (electron/services/erequests/intake.ts processInbox; it claims through the
   * server, so an unreachable server leaves the new requests waiting).
   */
  sync(): Promise<RoundResult> {
    if (!this.inFlight) {
      const t0 = performance.now();
      this.inFlight = this.admin
        .call('sync.now', {})
        .then(async (r) => {
          this.syncRounds++;
          if (!r.ok) this.syncFailures++;
          const inbox = await this.registrar.call('erequests.process', {});
          this.erequests.processed += inbox.processed;
          this.erequests.taken += inbox.taken;
          this.erequests.lost += inbox.lost;
          return r as RoundResult;
        })
        .finally(() => {
          this.syncMs += performance.now() - t0;
          this.inFlight = null;
        });
    }
    return this.inFlight;
  }

  /** Waits for the sync round in progress, if any. */
  async settle(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
  }

  async queued(): Promise<number> {
    return (await this.admin.call('sync.status', {})).queued;
  }

  close(): void {
    closeApp(this.app);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
