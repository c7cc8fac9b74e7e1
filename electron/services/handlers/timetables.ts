/** Handlers of the `timetables.*` slice (common/api/timetables.ts): electron/services/desk. */
import type { timetablesApi } from '../../../common/api/timetables';
import * as timetables from '../desk/timetables';
import { me, type SliceHandlers } from './context';

export const timetablesHandlers: SliceHandlers<typeof timetablesApi> = {
  'timetables.week': (ctx, a) => timetables.week(ctx.app, a),
  'timetables.setTemplate': (ctx, a) => timetables.setTemplate(ctx.app, me(ctx), a),
  'timetables.addException': (ctx, a) => timetables.addException(ctx.app, me(ctx), a),
  'timetables.removeException': (ctx, a) => timetables.removeException(ctx.app, me(ctx), a.id),
};
