/** Handlers of the `attachments.*` slice (common/api/attachments.ts): electron/services/desk. */
import type { attachmentsApi } from '../../../common/api/attachments';
import * as deskDocuments from '../desk/documents';
import * as desk from '../desk/service';
import { me, type SliceHandlers } from './context';

export const attachmentsHandlers: SliceHandlers<typeof attachmentsApi> = {
  'attachments.apply': (ctx, a) => desk.attach(ctx.app, me(ctx), a),
  'attachments.get': (ctx, a) => desk.getAttachment(ctx.app, a.id),
  'attachments.talon': (ctx, a) => deskDocuments.talonPdf(ctx.app, a.id),
};
