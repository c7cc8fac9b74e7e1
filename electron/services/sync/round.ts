/**
 * What one sync round's phases (push.ts, pull.ts, audit-head.ts) share: the connection to the server with the
 * workstation's headers bound, the status check that turns an HTTP answer into a blocked round, the server-time
 * note behind the clock-skew warning, and the progress the status bar shows. The engine (engine.ts) builds one per
 * round; the phases only talk to the server through it.
 */
import type { Clock } from '../../../common/clock';
import type { UpdateRequiredBody } from '../../../common/sync-protocol';
import type { Db } from '../../../db/connection';
import type { Logger } from '../log';
import type { HttpResponse } from './http';

export interface SyncProgress {
  phase: 'push' | 'pull';
  done: number;
  total: number | null;
}

export class SyncBlockedError extends Error {
  constructor(
    readonly reason: 'update-required' | 'unauthorized' | 'audit-forked' | 'server-error' | 'offline',
    message: string,
  ) {
    super(message);
  }
}

export interface RoundIo {
  readonly db: Db;
  readonly clock: Clock;
  readonly log: Logger;
  /** The enrolled server's base URL. */
  readonly serverUrl: string;
  /** A request with the credential and protocol headers; network failures throw NetworkError. */
  send(method: 'GET' | 'POST', path: string, body?: string): Promise<HttpResponse>;
  /** Throws SyncBlockedError unless the answer is a 2xx. */
  check(res: HttpResponse): void;
  /** Notes the server's clock against ours (`sentAt`: when the request left). */
  serverTime(serverTime: string | undefined, sentAt: number): void;
  progress(p: SyncProgress): void;
  markOnline(): void;
}

/** The HTTP statuses that stop a round, as what the status bar says. Marks the server reachable or not. */
export function checkStatus(res: HttpResponse, setOnline: (online: boolean) => void): void {
  const { status, body } = res;
  if (status >= 200 && status < 300) {
    setOnline(true);
    return;
  }
  setOnline(status < 500);
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
