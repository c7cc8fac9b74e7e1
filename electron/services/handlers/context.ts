/**
 * What every handler map shares: the call context the dispatcher hands over, the type that makes a slice's
 * handler map implement exactly its slice's methods, and `me()` for methods that need a logged-in caller.
 */
import type { z } from 'zod';
import type { ApiSlice } from '../../../common/api/spec';
import { ApiError } from '../../../common/errors';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import type { SessionSlot } from '../auth';

export interface CallContext {
  app: AppContext;
  slot: SessionSlot;
  /** The logged-in caller; null only for public methods. */
  staff: StaffRow | null;
}

type Output<T> = T extends z.ZodType ? z.output<T> : never;

/** One handler per method of the slice, no more: a missing or an extra handler is a type error. */
export type SliceHandlers<S extends ApiSlice> = {
  [M in keyof S['methods']]: (
    ctx: CallContext,
    args: Output<S['methods'][M]['args']>,
  ) => Output<S['methods'][M]['result']> | Promise<Output<S['methods'][M]['result']>>;
};

export function me(ctx: CallContext): StaffRow {
  if (!ctx.staff) throw new ApiError('unauthenticated', 'log in first');
  return ctx.staff;
}
