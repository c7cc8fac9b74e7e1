/**
 * The workstation's background sync loop: push the outbox in batches, then pull the organization's change log,
 * forever; exponential backoff with jitter while the server cannot be reached, an immediate round when the
 * network comes back or someone asks for one.
 *
 * Crash safety comes from the order of writes: a batch is claimed (and its id saved) before it is sent, so after
 * a crash the same batch is sent again as it is, and the server answers a replayed batch with its stored
 * response. Pulled pages land together with their cursor. SQLite transactions stay short (one batch, one page)
 * and all network waits are async, so the UI never waits for the network.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  LIMITS,
  SYNC_PROTOCOL,
  type AuditForkedBody,
  type AuditHead,
  type PullResponse,
  type PushResponse,
  type UpdateRequiredBody,
} from '../../../common/sync-protocol';
import type { Clock } from '../../../common/clock';
import type { Db } from '../../../db/connection';
import { SCHEMA_VERSION } from '../../../db/migrations';
import {
  applyPulledPage,
  claimBatch,
  countOpenSyncIssues,
  countQueued,
  getCursor,
  getEnrollment,
  getSyncState,
  recordPushResults,
  releaseBatch,
  updateSyncState,
  type PushOutcome,
} from '../../../db/sync';
import { pruneOutbox } from '../../../db/outbox';
import { auditHashAt, auditHead, GENESIS_HASH } from '../../../db/audit';
import type { Logger } from '../log';
import { syncCredential } from '../sealed-settings';
import { SecretsUnavailableError, type SecretBox } from '../secrets';
import { getOrganization } from '../../../db/organization';
import { invalidateCalendar, invalidateCatalog } from '../workflow/context';
import { NetworkError, request } from './http';

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

export interface SyncProgress {
  phase: 'push' | 'pull';
  done: number;
  total: number | null;
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

export class SyncBlockedError extends Error {
  constructor(
    readonly reason: 'update-required' | 'unauthorized' | 'audit-forked' | 'server-error' | 'offline',
    message: string,
  ) {
    super(message);
  }
}

interface Host {
  db: Db;
  clock: Clock;
  log: Logger;
  secrets: SecretBox;
}

export class SyncEngine {
  private readonly opts: Required<Omit<SyncEngineOptions, 'protocol' | 'schemaVersion'>> & { protocol: number; schemaVersion: number };
  private batchOps: number;
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
    this.batchOps = this.opts.batchOps;
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
    try {
      // Push until the queue is empty.
      const total = countQueued(db);
      let done = 0;
      this.progress = { phase: 'push', done, total };
      for (;;) {
        const batch = claimBatch(db, this.batchOps, this.opts.batchBytes, clock());
        if (!batch) break;
        if (batch.ops.length === 0) {
          releaseBatch(db, batch.batchId);
          continue;
        }
        const body =
          `{"batch_id":${JSON.stringify(batch.batchId)},"ops":[` +
          batch.ops
            .map(
              (o) =>
                `{"op_id":${JSON.stringify(o.op_id)},"kind":${JSON.stringify(o.kind)},"entity":${JSON.stringify(o.entity)},"entity_id":${JSON.stringify(o.entity_id)},"payload":${o.payload},"created_at":${JSON.stringify(o.created_at)}}`,
            )
            .join(',') +
          `],"audit_head":${JSON.stringify(this.auditHeadToSend())}}`;
        const sentAt = clock().getTime();
        const res = await this.send('POST', `${enrollment.serverUrl}/v1/sync/push`, credential, body);
        if (res.status === 413) {
          // The server refused the batch unread: give it back and try smaller ones.
          releaseBatch(db, batch.batchId);
          if (this.batchOps === 1) throw new SyncBlockedError('server-error', 'the server refuses even a single operation as too large');
          this.batchOps = Math.max(1, Math.floor(batch.ops.length / 2));
          continue;
        }
        if (res.status === 409) this.checkAuditForked(res.body);
        this.checkStatus(res.status, res.body);
        const answer = JSON.parse(res.body) as PushResponse;
        skew = this.noteServerTime(answer.server_time, sentAt, clock().getTime()) ?? skew;
        if (answer.audit_head) updateSyncState(db, { auditAcknowledged: answer.audit_head, auditForked: null });
        const outcome = recordPushResults(db, batch.batchId, answer.results, answer.received_at, clock());
        for (const k of Object.keys(outcome) as Array<keyof PushOutcome>) result.pushed[k] += outcome[k];
        done += batch.ops.length;
        this.progress = { phase: 'push', done, total: Math.max(total, done) };
        this.online = true;
        await yieldToEventLoop();
      }

      // Nothing queued, but the audit log grew (a log-in, a look-up…): its head goes up alone, so rows written since
      // the last push cannot be cut before the next one without the server noticing (issue 14).
      const head = this.auditHeadToSend();
      const acknowledged = getSyncState(db).auditAcknowledged;
      if (head.seq > (acknowledged?.seq ?? 0)) {
        const body = `{"batch_id":${JSON.stringify(randomUUID())},"ops":[],"audit_head":${JSON.stringify(head)}}`;
        const res = await this.send('POST', `${enrollment.serverUrl}/v1/sync/push`, credential, body);
        if (res.status === 409) this.checkAuditForked(res.body);
        this.checkStatus(res.status, res.body);
        const answer = JSON.parse(res.body) as PushResponse;
        if (answer.audit_head) updateSyncState(db, { auditAcknowledged: answer.audit_head, auditForked: null });
      }

      // Pull to the end of the change log.
      let cursor = getCursor(db) ?? '';
      let start: number | null = null;
      for (;;) {
        const sentAt = clock().getTime();
        const res = await this.send(
          'GET',
          `${enrollment.serverUrl}/v1/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${this.opts.pullRows}`,
          credential,
        );
        this.checkStatus(res.status, res.body);
        const page = JSON.parse(res.body) as PullResponse;
        skew = this.noteServerTime(page.server_time, sentAt, clock().getTime()) ?? skew;
        const applied = applyPulledPage(db, page.rows, page.cursor, clock());
        // The working calendar and the organization's zone are cached: another desk changed them.
        if (applied.shared.calendar || applied.shared.organization) invalidateCalendar({ db });
        if (applied.shared.organization || applied.shared['regulation-file'] || applied.shared['regulation-adoption'])
          invalidateCatalog({ db });
        cursor = page.cursor;
        result.pulled += page.rows.length;
        this.online = true;
        start ??= page.position - page.rows.length;
        this.progress = { phase: 'pull', done: page.position - start, total: page.head - start };
        updateSyncState(db, { pullPosition: page.position, pullHead: page.head });
        if (!page.more) break;
        await yieldToEventLoop();
      }
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

  /**
   * This log's head, and past the acknowledged head, this log's own hash of the acknowledged row: the server
   * checks the log still holds what it acknowledged (issue 14). A missing row sends the genesis hash, which fails.
   */
  private auditHeadToSend(): AuditHead {
    const { db } = this.host;
    const head: AuditHead = auditHead(db);
    const ack = getSyncState(db).auditAcknowledged;
    if (ack && head.seq > ack.seq) head.acknowledged = { seq: ack.seq, hash: auditHashAt(db, ack.seq) ?? GENESIS_HASH };
    return head;
  }

  /** A 409 `audit-forked`: keep the head the server acknowledged (verify-audit compares with it) and stop. */
  private checkAuditForked(body: string): void {
    let refusal: AuditForkedBody | null = null;
    try {
      refusal = JSON.parse(body) as AuditForkedBody;
    } catch {
      return;
    }
    if (refusal?.error !== 'audit-forked') return;
    if (refusal.acknowledged) updateSyncState(this.host.db, { auditAcknowledged: refusal.acknowledged });
    this.host.log.error('sync.audit-forked', { message: refusal.message, acknowledged: refusal.acknowledged });
    throw new SyncBlockedError('audit-forked', `the central server refused this workstation's audit log: ${refusal.message}`);
  }

  private async send(method: 'GET' | 'POST', url: string, credential: string, body?: string) {
    return request(method, url, { headers: this.headers(credential), body, timeoutMs: this.opts.requestTimeoutMs });
  }

  private checkStatus(status: number, body: string): void {
    if (status >= 200 && status < 300) {
      this.online = true;
      return;
    }
    this.online = status < 500;
    if (status === 426) {
      let message = 'the central server requires a newer Tirkeu';
      try {
        message = (JSON.parse(body) as UpdateRequiredBody).message || message;
      } catch {
        // keep the default
      }
      throw new SyncBlockedError('update-required', message);
    }
    if (status === 401)
      throw new SyncBlockedError('unauthorized', 'the central server refused this workstation’s credential (revoked?); enroll again');
    if (status >= 500) throw new SyncBlockedError('offline', `the central server is unavailable (HTTP ${status})`);
    throw new SyncBlockedError('server-error', `the central server answered HTTP ${status}: ${body.slice(0, 200)}`);
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

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function networkSignature(): string {
  const out: string[] = [];
  for (const [name, list] of Object.entries(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal) out.push(`${name}/${a.address}`);
  }
  return out.sort().join(',');
}
