/** Handlers of the `deskForms.*` slice (common/api/desk-forms.ts): electron/services/desk/forms.ts. */
import type { deskFormsApi } from '../../../common/api/desk-forms';
import * as forms from '../desk/forms';
import { me, type SliceHandlers } from './context';

export const deskFormsHandlers: SliceHandlers<typeof deskFormsApi> = {
  'deskForms.requirements': (ctx, a) => forms.requirements(ctx.app, me(ctx), a.serviceId),
  'deskForms.addScan': (ctx, a) => forms.addScan(ctx.app, me(ctx), a),
  'deskForms.removeScan': (ctx, a) => forms.removeScan(ctx.app, me(ctx), a.scanId),
  'deskForms.ofRequest': (ctx, a) => forms.ofRequest(ctx.app, me(ctx), a.requestId),
  'deskForms.scan': (ctx, a) => forms.scanFile(ctx.app, me(ctx), a.scanId),
};
