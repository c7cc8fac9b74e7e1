/**
 * One handler per API method. The dispatcher has already checked the caller's role and parsed the arguments
 * with the contract's schema, so handlers receive typed, validated arguments and a logged-in staff member
 * (or null for public methods).
 */
import type { ApiMethod, ApiParsedArgs, ApiResult } from '../../common/api';
import { ApiError } from '../../common/errors';
import { getOrganization } from '../../db/organization';
import type { StaffRow } from '../../db/staff';
import type { AppContext } from './app';
import * as auth from './auth';
import type { SessionSlot } from './auth';
import * as people from './people';
import * as staffAdmin from './staff-admin';

export interface CallContext {
  app: AppContext;
  slot: SessionSlot;
  /** The logged-in caller; null only for public methods. */
  staff: StaffRow | null;
}

type Handler<M extends ApiMethod> = (ctx: CallContext, args: ApiParsedArgs<M>) => ApiResult<M> | Promise<ApiResult<M>>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

function me(ctx: CallContext): StaffRow {
  if (!ctx.staff) throw new ApiError('unauthenticated', 'log in first');
  return ctx.staff;
}

export const handlers: Handlers = {
  'session.login': (ctx, a) => auth.login(ctx.app, ctx.slot, a.login, a.password),
  'session.current': (ctx) => (ctx.staff ? auth.sessionInfo(ctx.app, ctx.staff) : null),
  'session.logout': (ctx) => {
    auth.logout(ctx.app, ctx.slot, ctx.staff);
    return { ok: true as const };
  },
  'session.setLanguage': (ctx, a) => {
    auth.setLanguage(ctx.app, me(ctx), a.language);
    return { ok: true as const };
  },
  'session.changePassword': async (ctx, a) => {
    await auth.changePassword(ctx.app, me(ctx), a.current, a.next);
    return { ok: true as const };
  },

  'people.findByIin': (ctx, a) => people.findByIin(ctx.app, a.iin),
  'people.search': (ctx, a) => people.search(ctx.app, a.query, a.limit),
  'people.createManual': (ctx, a) => people.createManual(ctx.app, me(ctx), a),

  'org.get': (ctx) => {
    const org = getOrganization(ctx.app.db);
    if (!org) throw new ApiError('internal', 'the organization is not set up');
    return org;
  },

  'staff.list': (ctx) => staffAdmin.list(ctx.app),
  'staff.create': (ctx, a) => staffAdmin.create(ctx.app, me(ctx), a),
  'staff.setDisabled': (ctx, a) => staffAdmin.setDisabled(ctx.app, me(ctx), a.id, a.disabled),
  'staff.resetPassword': (ctx, a) => staffAdmin.resetPassword(ctx.app, me(ctx), a.id),
};
