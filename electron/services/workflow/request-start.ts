/**
 * When a desk or phone request really started (issue 15, point 1): the registrar's form records the moment the
 * person was identified (documents handed in, call answered) and sends it with the save; the request and its first
 * step start then, so the regulation's 10-minute limits are measured from the person's arrival, not from the save.
 *
 * A time taken from the window is checked here: a real time, not in the future (a minute of slack for the two
 * processes' clocks), and not older than `MAX_REQUEST_START_AGE_MS` (a form left open over a shift is not a start).
 */
import { ApiError } from '../../../common/errors';
import type { AppContext } from '../app';

/** The oldest start a form may report: 12 hours. */
export const MAX_REQUEST_START_AGE_MS = 12 * 3_600_000;
/** How far ahead of the main process's clock the window's may be. */
const CLOCK_SLACK_MS = 60_000;

/** The start as epoch ms (never after now), or undefined when the form sent none (the request starts now). */
export function requestStartMs(app: AppContext, startedAt: string | null | undefined, field = 'startedAt'): number | undefined {
  if (startedAt === null || startedAt === undefined) return undefined;
  const ms = Date.parse(startedAt);
  if (!Number.isFinite(ms)) throw new ApiError('validation', `${field} is not a time`, {}, [field]);
  const nowMs = app.clock().getTime();
  if (ms > nowMs + CLOCK_SLACK_MS) throw new ApiError('validation', `${field} ${startedAt} is in the future`, {}, [field]);
  if (nowMs - ms > MAX_REQUEST_START_AGE_MS)
    throw new ApiError('validation', `${field} ${startedAt} is more than 12 hours ago: start the request again`, {}, [field]);
  return Math.min(ms, nowMs);
}
