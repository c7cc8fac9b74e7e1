/** Handlers of the `districts.*` slice (common/api/districts.ts): electron/services/desk. */
import type { districtsApi } from '../../../common/api/districts';
import * as desk from '../desk/service';
import { me, type SliceHandlers } from './context';

export const districtsHandlers: SliceHandlers<typeof districtsApi> = {
  'districts.resolve': (ctx, a) => desk.resolveDistrict(ctx.app, a),
  'districts.save': (ctx, a) => desk.saveDistrict(ctx.app, me(ctx), a),
};
