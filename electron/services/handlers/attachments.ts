/** Handlers of the `attachments.*` slice (common/api/attachments.ts): electron/services/desk. */
import type { attachmentsApi } from '../../../common/api/attachments';
import * as deskPrintouts from '../desk/printouts';
import * as attachments from '../desk/attachments';
import { me, type SliceHandlers } from './context';

export const attachmentsHandlers: SliceHandlers<typeof attachmentsApi> = {
  'attachments.apply': (ctx, a) => attachments.attach(ctx.app, me(ctx), a),
  'attachments.get': (ctx, a) => attachments.getAttachment(ctx.app, a.id),
  'attachments.talon': (ctx, a) => deskPrintouts.talonPdf(ctx.app, a.id),
};
