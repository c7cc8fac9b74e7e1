/** Handlers of the `desk.*` slice (common/api/desk.ts): electron/services/desk. */
import type { deskApi } from '../../../common/api/desk';
import * as overview from '../desk/overview';
import type { SliceHandlers } from './context';

export const deskHandlers: SliceHandlers<typeof deskApi> = {
  'desk.overview': (ctx) => overview.overview(ctx.app),
};
