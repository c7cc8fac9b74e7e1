/**
 * A small structured logger (one JSON line per event). It never receives arguments of API calls; `redact` is a
 * second line of defence for anything that looks like a secret.
 */
import fs from 'node:fs';
import { systemClock, type Clock } from '../../common/clock';

const SECRET_KEYS = /pass|pin|token|secret|hash|cookie|authorization/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1);
  return out;
}

export interface Logger {
  info(event: string, data?: Record<string, unknown>): void;
  warn(event: string, data?: Record<string, unknown>): void;
  error(event: string, data?: Record<string, unknown>): void;
}

export function createLogger(file: string | null, echo = false, clock: Clock = systemClock): Logger {
  const stream = file ? fs.createWriteStream(file, { flags: 'a' }) : null;
  const write = (level: string, event: string, data?: Record<string, unknown>) => {
    const line = JSON.stringify({ at: clock().toISOString(), level, event, ...(redact(data ?? {}) as object) });
    stream?.write(line + '\n');
    if (echo || (!stream && level !== 'info')) process.stderr.write(line + '\n');
  };
  return {
    info: (e, d) => write('info', e, d),
    warn: (e, d) => write('warn', e, d),
    error: (e, d) => write('error', e, d),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
