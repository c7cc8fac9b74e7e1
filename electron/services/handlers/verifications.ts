/** Handlers of the `verifications.*` slice (common/api/verifications.ts): electron/services/verification. */
import type { verificationsApi } from '../../../common/api/verifications';
import { checkCounts, checkDocument, revokeDocument } from '../verification/check';
import { me, type SliceHandlers } from './context';

export const verificationsHandlers: SliceHandlers<typeof verificationsApi> = {
  'verifications.check': (ctx, a) => checkDocument(ctx.app, a),
  'verifications.revoke': (ctx, a) => revokeDocument(ctx.app, me(ctx), a),
  'verifications.checks': (ctx) => checkCounts(ctx.app),
};
