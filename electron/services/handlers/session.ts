/** Handlers of the `session.*` slice (common/api/session.ts): electron/services/auth.ts. */
import type { sessionApi } from '../../../common/api/session';
import * as auth from '../auth';
import { me, type SliceHandlers } from './context';

export const sessionHandlers: SliceHandlers<typeof sessionApi> = {
  'session.login': (ctx, a) => auth.login(ctx.app, ctx.slot, a.login, a.password),
  'session.current': (ctx) => (ctx.staff ? auth.sessionInfo(ctx.app, ctx.staff, ctx.slot) : null),
  'session.lock': (ctx) => {
    auth.lock(ctx.app, ctx.slot, me(ctx));
    return { ok: true as const };
  },
  'session.unlock': (ctx, a) => auth.unlock(ctx.app, ctx.slot, me(ctx), a.password),
  'session.setIdleMinutes': (ctx, a) => {
    auth.setIdleMinutes(ctx.app, me(ctx), a.minutes);
    return { ok: true as const };
  },
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
};
