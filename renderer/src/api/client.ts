/**
 * The renderer's only way to the main process: the API contract, over the preload bridge in Electron or over
 * HTTP on the web host. Both return `{ ok, value | error }`; `call` unwraps it and throws `ApiCallError`.
 */
import type { ApiArgs, ApiMethod, ApiResult } from '../../../common/api';
import type { ApiErrorData, Result } from '../../../common/errors';
import { followWorkstationClock } from '../shared/app-clock';

interface Bridge {
  call(method: string, args: unknown): Promise<Result<unknown>>;
}

declare global {
  interface Window {
    tirkeu?: Bridge;
  }
}

export class ApiCallError extends Error {
  constructor(readonly data: ApiErrorData | { code: 'network'; message: string; params?: undefined; fields?: undefined }) {
    super(data.message);
    this.name = 'ApiCallError';
  }
  get code() {
    return this.data.code;
  }
}

async function overHttp(method: string, args: unknown): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(args ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, error: { code: 'internal', message: 'network' } };
  }
  if (!response.ok)
    return { ok: false, error: { code: response.status === 403 ? 'unauthenticated' : 'internal', message: `HTTP ${response.status}` } };
  return (await response.json()) as Result<unknown>;
}

/** Told when the main process answers `session-locked`: the window shows its lock screen. */
let onLocked: (() => void) | null = null;
export function whenSessionLocked(fn: () => void): void {
  onLocked = fn;
}

export async function call<M extends ApiMethod>(method: M, args: ApiArgs<M>): Promise<ApiResult<M>> {
  const result = window.tirkeu ? await window.tirkeu.call(method, args) : await overHttp(method, args);
  followWorkstationClock(result.now);
  if (result.ok) return result.value as ApiResult<M>;
  if (result.error.message === 'network') throw new ApiCallError({ code: 'network', message: 'network' });
  if (result.error.code === 'session-locked') onLocked?.();
  throw new ApiCallError(result.error);
}
