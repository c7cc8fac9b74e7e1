/** Handlers of the `attachments.*` slice (common/api/attachments.ts): electron/services/desk. */
import type { attachmentsApi } from '../../../common/api/attachments';
import * as deskPrintouts from '../desk/printouts';
import { DESK_SERVICES } from '../../../common/desk';
import * as attachments from '../desk/attachments';
import { certifiedDeskAction } from '../desk/forms';
import { actorOf } from '../auth';
import { me, type SliceHandlers } from './context';

export const attachmentsHandlers: SliceHandlers<typeof attachmentsApi> = {
  'attachments.apply': (ctx, { certification, ...form }) =>
    certifiedDeskAction(ctx.app, me(ctx), DESK_SERVICES.attachment, form, certification, () => attachments.attach(ctx.app, me(ctx), form)),
  'attachments.get': (ctx, a) => attachments.getAttachment(ctx.app, a.id),
  'attachments.end': (ctx, a) => attachments.endAttachment(ctx.app, me(ctx), a),
  'attachments.talon': (ctx, a) => deskPrintouts.talonPdf(ctx.app, a.id, actorOf(me(ctx))),
};
