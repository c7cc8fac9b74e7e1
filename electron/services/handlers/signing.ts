/** Handlers of the `signing.*` slice (common/api/signing.ts): electron/services/signing-desk.ts. */
import type { signingApi } from '../../../common/api/signing';
import * as signingDesk from '../signing-desk';
import { me, type SliceHandlers } from './context';

export const signingHandlers: SliceHandlers<typeof signingApi> = {
  'signing.sources': (ctx) => signingDesk.listSources(ctx.app),
  'signing.listKeys': (ctx, a) => signingDesk.listKeys(ctx.app, me(ctx), a.source, a.secret, a.as),
  'signing.check': (ctx, a) => signingDesk.signatureCheck(ctx.app, me(ctx), a),
  'signing.settings': (ctx) => ({ pkcs11Modules: signingDesk.configuredModules(ctx.app) }),
  'signing.setModules': (ctx, a) => ({ pkcs11Modules: signingDesk.setConfiguredModules(ctx.app, me(ctx), a.pkcs11Modules) }),
};
