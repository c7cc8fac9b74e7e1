/**
 * Handlers of the dispensary slice (common/api/dispensary.ts): registers, certificates and HIV testing in
 * electron/services/dispensary. HIV testing is further limited to the counselling room here.
 */
import type { dispensaryApi } from '../../../common/api/dispensary';
import { ApiError } from '../../../common/errors';
import type { StaffRow } from '../../../db/staff';
import * as certificates from '../dispensary/certificates';
import * as hiv from '../dispensary/hiv';
import * as registers from '../dispensary/registers';
import * as registerImport from '../dispensary/register-import';
import { me, type CallContext, type SliceHandlers } from './context';

export const dispensaryHandlers: SliceHandlers<typeof dispensaryApi> = {
  'registers.check': (ctx, a) => registers.check(ctx.app, me(ctx), a),
  'registers.lookup': (ctx, a) => registers.lookup(ctx.app, me(ctx), a),
  'registers.import': (ctx, a) => registerImport.importCsv(ctx.app, me(ctx), a),
  'registers.importProgress': (ctx) => registerImport.importProgress(ctx.app),
  'certificates.sign': (ctx, a) => certificates.sign(ctx.app, me(ctx), a),
  'certificates.pdf': (ctx, a) => certificates.pdf(ctx.app, me(ctx), a),
  'certificates.journal': (ctx, a) => certificates.journal(ctx.app, me(ctx), a),
  'hiv.label': (ctx, a) => hiv.label(ctx.app, counselling(ctx, true), a),
  'hiv.enterResult': (ctx, a) => hiv.enterResult(ctx.app, counselling(ctx, true), a),
  'hiv.release': (ctx, a) => hiv.release(ctx.app, counselling(ctx, false), a),
  'hiv.followUps': (ctx) => hiv.followUps(counselling(ctx, false) && ctx.app),
};

/** HIV testing: the counselling-room doctor (and, where allowed, the nurse); other physicians are refused. */
function counselling(ctx: CallContext, nurse: boolean): StaffRow {
  const s = me(ctx);
  if ((s.role === 'physician' && s.specialty === 'counselling') || (nurse && s.role === 'nurse')) return s;
  throw new ApiError('forbidden', 'HIV testing is for the counselling room', { role: s.role });
}
