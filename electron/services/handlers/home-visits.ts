/** Handlers of the `homeVisits.*` slice (common/api/home-visits.ts): electron/services/desk. */
import type { homeVisitsApi } from '../../../common/api/home-visits';
import * as deskPrintouts from '../desk/printouts';
import { DESK_SERVICES } from '../../../common/desk';
import { certifiedDeskAction } from '../desk/forms';
import * as homeVisits from '../desk/home-visits';
import { me, type SliceHandlers } from './context';

export const homeVisitsHandlers: SliceHandlers<typeof homeVisitsApi> = {
  'homeVisits.register': (ctx, { certification, ...form }) =>
    certifiedDeskAction(ctx.app, me(ctx), DESK_SERVICES.homeVisit, form, certification, () =>
      homeVisits.registerHomeVisit(ctx.app, me(ctx), form),
    ),
  'homeVisits.setStatus': (ctx, a) => homeVisits.setVisitStatus(ctx.app, me(ctx), a),
  'homeVisits.ofPerson': (ctx, a) => homeVisits.personVisits(ctx.app, a.iin),
  'homeVisits.doctorDay': (ctx, a) => homeVisits.doctorDay(ctx.app, a),
  'homeVisits.doctorDayPdf': (ctx, a) => deskPrintouts.visitListPdf(ctx.app, me(ctx), a),
};
