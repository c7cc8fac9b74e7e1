/** Handlers of the `journals.*` slice (common/api/journals.ts): electron/services/desk/documents.ts. */
import type { journalsApi } from '../../../common/api/journals';
import * as deskDocuments from '../desk/documents';
import { me, type SliceHandlers } from './context';

export const journalsHandlers: SliceHandlers<typeof journalsApi> = {
  'journals.list': (ctx, a) => deskDocuments.journal(ctx.app, me(ctx).language, a),
  'journals.export': (ctx, a) => deskDocuments.exportJournal(ctx.app, me(ctx), a),
};
