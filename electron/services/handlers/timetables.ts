/** Handlers of the `timetables.*` slice (common/api/timetables.ts): electron/services/desk. */
import type { timetablesApi } from '../../../common/api/timetables';
import * as desk from '../desk/service';
import { me, type SliceHandlers } from './context';

export const timetablesHandlers: SliceHandlers<typeof timetablesApi> = {
  'timetables.week': (ctx, a) => desk.week(ctx.app, a),
  'timetables.setTemplate': (ctx, a) => desk.setTemplate(ctx.app, me(ctx), a),
  'timetables.addException': (ctx, a) => desk.addException(ctx.app, me(ctx), a),
  'timetables.removeException': (ctx, a) => desk.removeException(ctx.app, me(ctx), a.id),
};
