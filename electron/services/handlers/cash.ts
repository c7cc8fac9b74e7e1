/** Handlers of the cash-desk slice (common/api/cash.ts), `prices.*` and `cash.*`: electron/services/dispensary/cash.ts. */
import type { cashApi } from '../../../common/api/cash';
import { ApiError } from '../../../common/errors';
import { cashEntryByReceipt } from '../../../db/dispensary';
import { getOrganization } from '../../../db/organization';
import * as cash from '../dispensary/cash';
import * as dispensaryDocs from '../dispensary/documents';
import { exempt, exemptionByReceipt } from '../dispensary/exemptions';
import { catalogOf } from '../workflow/context';
import { actorOf } from '../auth';
import { exemptionFacts, receiptFacts, receiptMark } from '../verification/documents';
import { me, type SliceHandlers } from './context';

export const cashHandlers: SliceHandlers<typeof cashApi> = {
  'prices.list': (ctx) => cash.prices(ctx.app),
  'prices.set': (ctx, a) => cash.setPrice(ctx.app, me(ctx), a),
  'cash.shift': (ctx) => cash.currentShift(ctx.app, me(ctx)),
  'cash.openShift': (ctx) => cash.openShift(ctx.app, me(ctx)),
  'cash.closeShift': (ctx) => cash.closeShift(ctx.app, me(ctx)),
  'cash.shiftReport': (ctx, a) => {
    const sh = cash.shiftById(ctx.app, a.shiftId);
    if (me(ctx).role === 'cashier' && sh.cashier !== me(ctx).full_name) throw new ApiError('forbidden', 'another cashier’s shift');
    return dispensaryDocs.shiftReportPdf(getOrganization(ctx.app.db)!, sh);
  },
  'cash.pay': (ctx, a) => cash.pay(ctx.app, me(ctx), a),
  'cash.exempt': (ctx, a) => exempt(ctx.app, me(ctx), a),
  'cash.void': (ctx, a) => cash.voidReceipt(ctx.app, me(ctx), a),
  'cash.receipt': (ctx, a) => {
    const e = cashEntryByReceipt(ctx.app.db, a.receiptNo);
    const exemption = e ? null : exemptionByReceipt(ctx.app, a.receiptNo);
    if (exemption) {
      const d = catalogOf(ctx.app).catalog.all.find((l) => l.definition.id === exemption.serviceId)?.definition;
      const title = d?.titles ?? { kk: exemption.serviceId, ru: exemption.serviceId };
      const org = getOrganization(ctx.app.db)!;
      const mark = receiptMark(ctx.app, actorOf(me(ctx)), org, exemptionFacts(exemption, title));
      return dispensaryDocs.exemptionReceiptPdf(org, exemption, title, a.layout, mark);
    }
    if (!e) throw new ApiError('not-found', `no receipt ${a.receiptNo}`, { receipt: a.receiptNo });
    const def = catalogOf(ctx.app).catalog.all.find((l) => l.definition.id === e.service_id)?.definition;
    const org = getOrganization(ctx.app.db)!;
    const entry = cash.entryView(ctx.app, e.id);
    const title = def?.titles ?? { kk: e.service_id, ru: e.service_id };
    const voidEntry = entry.voidedBy ? cashEntryByReceipt(ctx.app.db, entry.voidedBy) : undefined;
    const mark = receiptMark(
      ctx.app,
      actorOf(me(ctx)),
      org,
      receiptFacts(entry, title, voidEntry ? { reason: voidEntry.reason ?? '' } : null),
    );
    return dispensaryDocs.receiptPdf(org, entry, title, a.layout, mark);
  },
  'cash.journal': (ctx, a) => cash.journal(ctx.app, a),
};
