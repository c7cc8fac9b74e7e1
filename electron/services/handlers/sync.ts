/** Handlers of the `sync.*` slice (common/api/sync.ts): electron/services/sync. */
import type { syncApi } from '../../../common/api/sync';
import * as sync from '../sync/index';
import { me, type SliceHandlers } from './context';

export const syncHandlers: SliceHandlers<typeof syncApi> = {
  'sync.status': (ctx) => sync.status(ctx.app),
  'sync.issues': (ctx) => sync.issues(ctx.app),
  'sync.resolveIssue': (ctx, a) => sync.resolveIssue(ctx.app, me(ctx), a.id),
  'sync.previewEnrollment': (ctx, a) => sync.previewEnrollment(ctx.app, a.serverUrl, a.code),
  'sync.enroll': (ctx, a) => sync.enroll(ctx.app, me(ctx), a.serverUrl, a.code),
  'sync.now': (ctx) => sync.syncNow(ctx.app),
};
