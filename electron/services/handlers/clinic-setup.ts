/** Handlers of the `trustFiles.*`, `answerKey.*` and `tokens.*` slice (common/api/clinic-setup.ts): electron/services/admin/. */
import type { clinicSetupApi } from '../../../common/api/clinic-setup';
import { answerKeyStatus, importAnswerKey } from '../admin/answer-key';
import { checkTokens } from '../admin/token-check';
import { trustOverview } from '../admin/trust-files';
import { addTrustFile } from '../erequests/trust';
import { me, type SliceHandlers } from './context';

export const clinicSetupHandlers: SliceHandlers<typeof clinicSetupApi> = {
  'trustFiles.list': (ctx) => trustOverview(ctx.app),
  'trustFiles.add': (ctx, a) => {
    addTrustFile(ctx.app, me(ctx), a);
    return trustOverview(ctx.app);
  },
  'answerKey.get': (ctx) => answerKeyStatus(ctx.app),
  'answerKey.import': (ctx, a) => importAnswerKey(ctx.app, me(ctx), a),
  'tokens.check': (ctx) => checkTokens(ctx.app),
};
