/** Handlers of the `journals.*` slice (common/api/journals.ts): electron/services/desk/journals.ts. */
import type { journalsApi } from '../../../common/api/journals';
import * as deskJournals from '../desk/journals';
import { me, type SliceHandlers } from './context';

export const journalsHandlers: SliceHandlers<typeof journalsApi> = {
  'journals.list': (ctx, a) => deskJournals.journal(ctx.app, me(ctx).language, a),
  'journals.export': (ctx, a) => deskJournals.exportJournal(ctx.app, me(ctx), a),
};
