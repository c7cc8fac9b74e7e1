/** Handlers of the `homeVisits.*` slice (common/api/home-visits.ts): electron/services/desk. */
import type { homeVisitsApi } from '../../../common/api/home-visits';
import * as deskDocuments from '../desk/documents';
import * as desk from '../desk/service';
import { me, type SliceHandlers } from './context';

export const homeVisitsHandlers: SliceHandlers<typeof homeVisitsApi> = {
  'homeVisits.register': (ctx, a) => desk.registerHomeVisit(ctx.app, me(ctx), a),
  'homeVisits.setStatus': (ctx, a) => desk.setVisitStatus(ctx.app, me(ctx), a),
  'homeVisits.ofPerson': (ctx, a) => desk.personVisits(ctx.app, a.iin),
  'homeVisits.doctorDay': (ctx, a) => desk.doctorDay(ctx.app, a),
  'homeVisits.doctorDayPdf': (ctx, a) => deskDocuments.visitListPdf(ctx.app, me(ctx), a),
};
