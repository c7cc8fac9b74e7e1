/** Handlers of the `people.*` slice (common/api/people.ts): electron/services/people.ts. */
import type { peopleApi } from '../../../common/api/people';
import * as people from '../people';
import { me, type SliceHandlers } from './context';

export const peopleHandlers: SliceHandlers<typeof peopleApi> = {
  'people.findByIin': (ctx, a) => people.findByIin(ctx.app, a.iin),
  'people.search': (ctx, a) => people.search(ctx.app, a.query, a.limit),
  'people.createManual': (ctx, a) => people.createManual(ctx.app, me(ctx), a),
};
