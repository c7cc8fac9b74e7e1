/** Handlers of the `districts.*` slice (common/api/districts.ts): electron/services/desk. */
import type { districtsApi } from '../../../common/api/districts';
import * as districts from '../desk/districts';
import { me, type SliceHandlers } from './context';

export const districtsHandlers: SliceHandlers<typeof districtsApi> = {
  'districts.resolve': (ctx, a) => districts.resolveDistrict(ctx.app, a),
  'districts.save': (ctx, a) => districts.saveDistrict(ctx.app, me(ctx), a),
};
