/** Handlers of the `updates.*` slice (common/api/updates.ts): electron/services/updates. */
import type { updatesApi } from '../../../common/api/updates';
import { checkForUpdate } from '../updates/check';
import { installUpdate } from '../updates/install';
import { me, type SliceHandlers } from './context';

export const updatesHandlers: SliceHandlers<typeof updatesApi> = {
  'updates.check': (ctx) => checkForUpdate(ctx.app),
  'updates.install': (ctx) => installUpdate(ctx.app, me(ctx)),
};
