/**
 * The workstation's background sync loop: push the outbox in batches, then pull the organization's change log,
 * forever; exponential backoff with jitter while the server cannot be reached, an immediate round when the
 * network comes back or someone asks for one.
 *
 * Crash safety comes from the order of writes: a batch is claimed (and its id saved) before it is sent, so after
 * a crash the same batch is sent again as it is, and the server answers a replayed batch with its stored
 * response. Pulled pages land together with their cursor. SQLite transactions stay short — a slice of a batch or a
 * page, sized to a few milliseconds of work (slices.ts), with the event loop free between slices — and all network
 * waits are async, so the desk waits neither for the network nor for a large pull or push (issue 18, goal 4).
 */
import os from 'node:os';
import { HEADER_PROTOCOL, HEADER_SCHEMA, LIMITS, SYNC_PROTOCOL } from '../../../common/sync-protocol';
import type { Clock } from '../../../common/clock';
import type { Db } from '../../../db/connection';
import { SCHEMA_VERSION } from '../../../db/migrations';
import { countOpenSyncIssues, countQueued, getEnrollment, getSyncState, updateSyncState, type PushOutcome } from '../../../db/sync';
import { pruneOutbox } from '../../../db/outbox';
import type { Logger } from '../log';
import { syncCredential } from '../sealed-settings';
import { SecretsUnavailableError, type SecretBox } from '../secrets';
import { getOrganization } from '../../../db/organization';
import { pushAuditHeadAlone } from './audit-head';
import { NetworkError, request } from './http';
import { pullToEnd } from './pull';
import { pushQueued, type BatchSizing } from './push';
import { checkStatus, SyncBlockedError, type RoundIo, type SyncProgress } from './round';
import { swapWindowClosing } from '../../../db/swap-window';

export { SyncBlockedError, type SyncProgress } from './round';

export const CLOCK_SKEW_WARNING_MS = 5 * 60_000;

export interface SyncEngineOptions {
  /** Operations per batch (the server's cap is LIMITS.pushMaxOps). */
  batchOps?: number;
  /** Payload bytes per batch. */
  batchBytes?: number;
  /** Rows per pulled page. */
  pullRows?: number;
  /** Pause between rounds while everything works. */
  intervalMs?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Pause after the server said "update required" or refused the credential. */
  blockedDelayMs?: number;
  requestTimeoutMs?: number;
  random?: () => number;
  /** Watch the network interfaces and sync at once when they change (default true for start()). */
  watchNetwork?: boolean;
  /** Days an operation the server applied stays in the outbox (default 30); pruned after each good round. */
  outboxRetentionDays?: number;
  /** Overrides for tests: what this workstation claims to be. */
  protocol?: number;
  schemaVersion?: number;
}

export interface RoundResult {
  ok: boolean;
  pushed: PushOutcome;
  pulled: number;
  error: string | null;
  /** Why the round stopped early, when it did. */
  blocked:
    | 'not-enrolled'
    | 'org-mismatch'
    | 'secrets-unavailable'
    | 'update-required'
    | 'unauthorized'
    | 'audit-forked'
    | 'offline'
    | 'server-error'
    | null;
}

interface Host {
  db: Db;
  clock: Clock;
  log: Logger;
  secrets: SecretBox;
}

export class SyncEngine {
  private readonly opts: Required<Omit<SyncEngineOptions, 'protocol' | 'schemaVersion'>> & { protocol: number; schemaVersion: number };
  private readonly sizing: BatchSizing;
  private inFlight: Promise<RoundResult> | null = null;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private netTimer: NodeJS.Timeout | null = null;
  private netSignature = '';
  private failures = 0;
  private skewWarned = false;
  /** When the applied outbox was last pruned (at most hourly: the delete walks every applied row). */
  private outboxPrunedAt = 0;
  online: boolean | null = null;
  progress: SyncProgress | null = null;

  constructor(
    private readonly host: Host,
    options: SyncEngineOptions = {},
  ) {
    this.opts = {
      batchOps: Math.min(options.batchOps ?? 1_000, LIMITS.pushMaxOps),
      batchBytes: Math.min(options.batchBytes ?? 4 * 1024 * 1024, LIMITS.pushMaxBytes - 256 * 1024),
      pullRows: Math.min(options.pullRows ?? LIMITS.pullMaxRows, LIMITS.pullMaxRows),
      intervalMs: options.intervalMs ?? 15_000,
      backoffBaseMs: options.backoffBaseMs ?? 1_000,
      backoffMaxMs: options.backoffMaxMs ?? 5 * 60_000,
      blockedDelayMs: options.blockedDelayMs ?? 15 * 60_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      random: options.random ?? Math.random,
      watchNetwork: options.watchNetwork ?? true,
      outboxRetentionDays: options.outboxRetentionDays ?? 30,
      protocol: options.protocol ?? SYNC_PROTOCOL,
      schemaVersion: options.schemaVersion ?? SCHEMA_VERSION,
    };
    this.sizing = { ops: this.opts.batchOps, bytes: this.opts.batchBytes };
  }

  get isRunning(): boolean {
    return this.running;
  }

  get busy(): boolean {
    return this.inFlight !== null;
  }

  /** One round (push everything queued, then pull to the end). Concurrent callers share the round in progress. */
  syncOnce(): Promise<RoundResult> {
    if (!this.inFlight) {
      this.inFlight = this.round().finally(() => {
        this.inFlight = null;
        this.progress = null;
      });
    }
    return this.inFlight;
  }

  /** Starts the background loop. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
    if (this.opts.watchNetwork) {
      this.netSignature = networkSignature();
      this.netTimer = setInterval(() => {
        const sig = networkSignature();
        if (sig !== this.netSignature) {
          this.netSignature = sig;
          this.host.log.info('sync.network-changed');
          this.wake();
        }
      }, 3_000);
      this.netTimer.unref();
    }
  }

  /** Ends the loop after the round in progress (if any). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.netTimer) clearInterval(this.netTimer);
    this.netTimer = null;
    this.wake();
    await this.loopDone;
    await this.inFlight?.catch(() => undefined);
  }

  /** Starts the next round now instead of waiting out the pause or the backoff. */
  wake(): void {
    this.failures = 0;
    const w = this.wakeUp;
    this.wakeUp = null;
    w?.();
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let delay = this.opts.intervalMs;
      try {
        const r = await this.syncOnce();
        if (r.ok) this.failures = 0;
        else if (r.blocked === 'update-required' || r.blocked === 'unauthorized' || r.blocked === 'audit-forked')
          delay = this.opts.blockedDelayMs;
        else if (r.blocked === 'org-mismatch' || r.blocked === 'secrets-unavailable') delay = this.opts.blockedDelayMs;
        else if (r.blocked !== 'not-enrolled') delay = this.backoff(++this.failures);
      } catch (error) {
        this.host.log.error('sync.loop', { error: (error as Error).message });
        delay = this.backoff(++this.failures);
      }
      if (!this.running) break;
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.timer = setTimeout(resolve, delay);
      });
      if (this.timer) clearTimeout(this.timer);
      this.wakeUp = null;
    }
  }

  /** Exponential backoff with "equal jitter": half the step fixed, half random. */
  backoff(failures: number): number {
    const step = Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** Math.min(failures - 1, 20));
    return Math.round(step / 2 + this.opts.random() * (step / 2));
  }

  private headers(credential: string): Record<string, string> {
    return {
      authorization: `Bearer ${credential}`,
      [HEADER_PROTOCOL]: String(this.opts.protocol),
      [HEADER_SCHEMA]: String(this.opts.schemaVersion),
    };
  }

  private noteServerTime(serverTime: string | undefined, sentAt: number, answeredAt: number): number | null {
    const server = serverTime ? Date.parse(serverTime) : NaN;
    if (Number.isNaN(server)) return null;
    const skew = Math.round(server - (sentAt + answeredAt) / 2);
    const off = Math.abs(skew) > CLOCK_SKEW_WARNING_MS;
    if (off && !this.skewWarned) this.host.log.warn('sync.clock-skew', { skewMs: skew });
    this.skewWarned = off;
    return skew;
  }

  private async round(): Promise<RoundResult> {
    const { db, clock, log } = this.host;
    // A register import's swap holds the write lock (db/swap-window.ts): the round starts after it.
    const swap = swapWindowClosing(db);
    if (swap) await swap;
    const result: RoundResult = {
      ok: false,
      pushed: { applied: 0, duplicate: 0, rejected: 0, conflict: 0 },
      pulled: 0,
      error: null,
      blocked: null,
    };
    const enrollment = getEnrollment(db);
    let credential: string | null;
    try {
      credential = syncCredential(this.host);
    } catch (error) {
      if (!(error instanceof SecretsUnavailableError)) throw error;
      // The key file is gone or replaced: said plainly, and the loop waits (enrolling again gives a new credential).
      result.blocked = 'secrets-unavailable';
      result.error = error.message;
      updateSyncState(db, { lastError: result.error, secretsUnavailable: result.error });
      log.error('sync.secrets-unavailable', { error: error.message });
      return result;
    }
    if (!enrollment || !credential) {
      result.blocked = 'not-enrolled';
      return result;
    }
    // Belt and braces (issue 13): operations are never sent to an organization other than the one they were made
    // for. Enrollment refuses such a desk; this catches a database changed behind the application's back.
    const orgBin = getOrganization(db)?.bin;
    if (orgBin !== enrollment.orgBin) {
      result.blocked = 'org-mismatch';
      result.error = `this workstation's records belong to ${orgBin ?? '?'}, but it is enrolled for ${enrollment.orgBin}`;
      updateSyncState(db, { lastError: result.error });
      log.error('sync.org-mismatch', { local: orgBin ?? null, enrolled: enrollment.orgBin });
      return result;
    }
    updateSyncState(db, { lastAttemptAt: clock().toISOString() });
    let skew: number | null = null;
    const io: RoundIo = {
      db,
      clock,
      log,
      serverUrl: enrollment.serverUrl,
      send: (method, path, body) =>
        request(method, `${enrollment.serverUrl}${path}`, {
          headers: this.headers(credential),
          body,
          timeoutMs: this.opts.requestTimeoutMs,
        }),
      check: (res) => checkStatus(res, (online) => (this.online = online)),
      serverTime: (serverTime, sentAt) => (skew = this.noteServerTime(serverTime, sentAt, clock().getTime()) ?? skew),
      progress: (p) => (this.progress = p),
      markOnline: () => (this.online = true),
    };
    try {
      await pushQueued(io, this.sizing, result.pushed);
      await pushAuditHeadAlone(io);
      result.pulled = await pullToEnd(io, this.opts.pullRows);
      result.ok = true;
      if (clock().getTime() - this.outboxPrunedAt >= 3_600_000) {
        this.outboxPrunedAt = clock().getTime();
        pruneOutbox(db, new Date(this.outboxPrunedAt - this.opts.outboxRetentionDays * 86_400_000));
      }
      updateSyncState(db, {
        lastSuccessAt: clock().toISOString(),
        lastError: null,
        updateRequired: null,
        unauthorized: false,
        auditForked: null,
        secretsUnavailable: null,
        ...(skew !== null ? { clockSkewMs: skew } : {}),
      });
      if (result.pushed.applied + result.pushed.rejected + result.pushed.conflict + result.pulled > 0)
        log.info('sync.round', { ...result.pushed, pulled: result.pulled });
    } catch (error) {
      const blocked = error instanceof SyncBlockedError ? error.reason : error instanceof NetworkError ? 'offline' : 'server-error';
      result.blocked = blocked;
      result.error = (error as Error).message;
      if (blocked === 'offline') this.online = false;
      updateSyncState(db, {
        lastError: result.error,
        ...(skew !== null ? { clockSkewMs: skew } : {}),
        ...(blocked === 'update-required' ? { updateRequired: result.error } : {}),
        ...(blocked === 'unauthorized' ? { unauthorized: true } : {}),
        ...(blocked === 'audit-forked' ? { auditForked: result.error } : {}),
      });
      log.warn('sync.failed', { reason: blocked, error: result.error });
    }
    return result;
  }

  /** What the status bar shows. Reads a few counters: cheap enough to poll. */
  status() {
    const { db } = this.host;
    const enrollment = getEnrollment(db);
    const state = getSyncState(db);
    return {
      enrolled: !!enrollment,
      serverUrl: enrollment?.serverUrl ?? null,
      workstationId: enrollment?.workstationId ?? null,
      online: this.online,
      syncing: this.busy,
      queued: countQueued(db),
      issues: countOpenSyncIssues(db),
      lastSuccessAt: state.lastSuccessAt,
      lastAttemptAt: state.lastAttemptAt,
      lastError: state.lastError,
      clockSkewMs: state.clockSkewMs,
      clockWarning: state.clockSkewMs !== null && Math.abs(state.clockSkewMs) > CLOCK_SKEW_WARNING_MS,
      updateRequired: state.updateRequired,
      unauthorized: state.unauthorized,
      auditForked: state.auditForked,
      secretsUnavailable: state.secretsUnavailable,
      progress: this.progress ? { ...this.progress } : null,
    };
  }
}

function networkSignature(): string {
  const out: string[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) out.push(`${name}/${a.address}`);
  }
  return out.sort().join(',');
}
