/** Handlers of the `erequests.*` slice (common/api/erequests.ts): electron/services/erequests/ (inbox, intake, settings, trust). */
import type { erequestsApi } from '../../../common/api/erequests';
import * as inbox from '../erequests/inbox';
import * as intake from '../erequests/intake';
import * as settings from '../erequests/settings';
import * as trust from '../erequests/trust';
import { me, type SliceHandlers } from './context';

export const erequestsHandlers: SliceHandlers<typeof erequestsApi> = {
  'erequests.inbox': (ctx, a) => inbox.inbox(ctx.app, a),
  'erequests.get': (ctx, a) => inbox.get(ctx.app, a.id),
  'erequests.resolve': (ctx, a) => inbox.resolve(ctx.app, me(ctx), a),
  'erequests.process': (ctx) => intake.processInbox(ctx.app),
  'erequests.settings': (ctx) => settings.settings(ctx.app),
  'erequests.setPolicy': (ctx, a) => settings.setPolicy(ctx.app, me(ctx), a),
  'erequests.setProviderKey': (ctx, a) => settings.setProviderKey(ctx.app, me(ctx), a),
  'erequests.addTrustFile': (ctx, a) => trust.addTrustFile(ctx.app, me(ctx), a),
};
