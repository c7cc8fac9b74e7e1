/**
 * Expecting an API error, one way for every test: the error a call ended with, as the data that crosses IPC
 * (`{ code, message, params?, fields? }`), whether it came back from the dispatcher, was thrown by a service as an
 * ApiError, or rejected a `Caller.call` (test/helpers/app.ts). Anything else that is thrown fails the test.
 */
import { expect } from 'vitest';
import { ApiError, type ApiErrorData } from '../../common/errors';
import type { Caller } from './app';

/** The error of a dispatcher call that must be refused (the raw `{ ok: false, error }`). */
export async function refusal(c: Caller, method: string, args: unknown): Promise<ApiErrorData> {
  const r = await c.raw(method, args);
  expect(r.ok, JSON.stringify(r).slice(0, 300)).toBe(false);
  return (r as { ok: false; error: ApiErrorData }).error;
}

/** The error a promise must reject with: a service's ApiError or a failed `Caller.call`. */
export async function rejection(p: Promise<unknown>): Promise<ApiErrorData> {
  try {
    await p;
  } catch (e) {
    return errorData(e);
  }
  throw new Error('expected a rejection');
}

/** What a call ended with: 'ok', or the code of its error; for `expect(errorCode(...)).toBe('slot-taken')`. */
export function errorCode(call: () => unknown): string;
export function errorCode(call: Promise<unknown>): Promise<string>;
export function errorCode(call: Promise<unknown> | (() => unknown)): string | Promise<string> {
  if (typeof call !== 'function')
    return call.then(
      () => 'ok',
      (e: unknown) => errorData(e).code,
    );
  try {
    call();
    return 'ok';
  } catch (e) {
    return errorData(e).code;
  }
}

function errorData(e: unknown): ApiErrorData {
  if (e instanceof ApiError) return e.toData();
  const data = (e as { data?: ApiErrorData } | null)?.data;
  expect(data?.code, `not an API error: ${String(e)}`).toBeTypeOf('string');
  return data!;
}
