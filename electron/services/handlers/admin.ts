/** Handlers of the `org.*` and `staff.*` slice (common/api/admin.ts): db/organization.ts, electron/services/staff-admin.ts. */
import type { adminApi } from '../../../common/api/admin';
import * as organization from '../organization';
import * as staffAdmin from '../staff-admin';
import { me, type SliceHandlers } from './context';

export const adminHandlers: SliceHandlers<typeof adminApi> = {
  'org.get': (ctx) => organization.organizationOf(ctx.app),
  'org.update': (ctx, a) => organization.updateProfile(ctx.app, me(ctx), a),
  'org.workstations': (ctx) => organization.workstations(ctx.app),
  'org.registersHere': (ctx) => organization.registersHere(ctx.app),
  'org.setRegistersHere': (ctx, a) => organization.setRegistersHere(ctx.app, me(ctx), a.enabled),

  'staff.list': (ctx) => staffAdmin.list(ctx.app),
  'staff.create': (ctx, a) => staffAdmin.create(ctx.app, me(ctx), a),
  'staff.setDisabled': (ctx, a) => staffAdmin.setDisabled(ctx.app, me(ctx), a.id, a.disabled),
  'staff.resetPassword': (ctx, a) => staffAdmin.resetPassword(ctx.app, me(ctx), a.id),
};
