/** Handlers of the `desk.*` slice (common/api/desk.ts): electron/services/desk. */
import type { deskApi } from '../../../common/api/desk';
import * as overview from '../desk/overview';
import * as refusals from '../desk/refusals';
import { refusalPdf } from '../desk/refusal-printout';
import { actorOf } from '../auth';
import { me, type SliceHandlers } from './context';

export const deskHandlers: SliceHandlers<typeof deskApi> = {
  'desk.overview': (ctx) => overview.overview(ctx.app),
  'desk.refusalGrounds': (ctx, a) => refusals.refusalGrounds(ctx.app, a.serviceId, a.channel),
  'desk.refuse': (ctx, a) => {
    const row = refusals.recordRefusal(ctx.app, me(ctx), a);
    return { requestId: row.id, number: row.number, ground: a.ground };
  },
  'desk.refusalPdf': (ctx, a) => refusalPdf(ctx.app, a.requestId, actorOf(me(ctx))),
};
