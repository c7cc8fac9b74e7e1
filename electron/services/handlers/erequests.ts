/** Handlers of the `erequests.*` slice (common/api/erequests.ts): electron/services/erequests/service.ts. */
import type { erequestsApi } from '../../../common/api/erequests';
import * as erequests from '../erequests/service';
import { me, type SliceHandlers } from './context';

export const erequestsHandlers: SliceHandlers<typeof erequestsApi> = {
  'erequests.inbox': (ctx, a) => erequests.inbox(ctx.app, a),
  'erequests.get': (ctx, a) => erequests.get(ctx.app, a.id),
  'erequests.resolve': (ctx, a) => erequests.resolve(ctx.app, me(ctx), a),
  'erequests.process': (ctx) => erequests.processInbox(ctx.app),
  'erequests.settings': (ctx) => erequests.settings(ctx.app),
  'erequests.setPolicy': (ctx, a) => erequests.setPolicy(ctx.app, me(ctx), a),
  'erequests.setProviderKey': (ctx, a) => erequests.setProviderKey(ctx.app, me(ctx), a),
  'erequests.addTrustFile': (ctx, a) => erequests.addTrustFile(ctx.app, me(ctx), a),
};
