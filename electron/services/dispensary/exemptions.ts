/**
 * Fee exemptions (issue 14, point 5). Money comes only from the price list: the fee of a request is the price in
 * force on the day it starts (workflow/requests.ts), and no method takes an amount. A person served free of charge
 * is exempted at the cash desk by the cashier or the administrator, with a reason from the fixed list
 * (common/dispensary.ts FEE_EXEMPTIONS): the exemption gets a receipt number that shows it, the fee waived is
 * recorded, the audit log says who, why and how much, and the cashier step is completed in the same transaction.
 */
import type { FeeExemption, FeeExemptionReason } from '../../../common/dispensary';
import { ApiError } from '../../../common/errors';
import { recordChange } from '../../../db/change';
import { paymentOfRequest } from '../../../db/dispensary';
import { feeExemptionByReceipt, feeExemptionOfRequest, insertFeeExemption, type FeeExemptionView } from '../../../db/fee-exemptions';
import { getOrganization } from '../../../db/organization';
import { getRequestRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { actorOf } from '../auth';
import { issueNumber } from '../numbers';
import { atCashDesk } from './cash';
import { engineActor, engineOf } from '../workflow/app-engine';

export function exempt(app: AppContext, staff: StaffRow, a: { requestId: number; reason: FeeExemptionReason }): FeeExemption {
  const now = app.clock();
  const engine = engineOf(app);
  const receipt = app.db
    .transaction(() => {
      const row = getRequestRow(app.db, a.requestId);
      if (!row) throw new ApiError('not-found', `no service request ${a.requestId}`, { id: a.requestId }, ['requestId']);
      const paid = paymentOfRequest(app.db, row.id);
      if (paid)
        throw new ApiError('already-paid', `request ${row.number} is already paid (${paid.receipt_no})`, {
          receipt: paid.receipt_no,
          number: row.number,
        });
      const before = feeExemptionOfRequest(app.db, row.id);
      if (before)
        throw new ApiError('conflict', `request ${row.number} is already exempted (${before.receipt_no})`, { receipt: before.receipt_no });
      const { open, step } = atCashDesk(app, row);
      const receiptNo = issueNumber(app.db, getOrganization(app.db)?.workstationPrefix ?? 'WS', 'receipt');
      const id = insertFeeExemption(app.db, {
        receipt_no: receiptNo,
        request_id: row.id,
        service_id: row.service_id,
        reason: a.reason,
        waived_kzt: row.fee_kzt,
        created_at: now.toISOString(),
        created_by: staff.id,
      });
      recordChange(app.db, actorOf(staff), now, () => id, {
        audit: {
          action: 'cash.exempted',
          entity: 'fee_exemption',
          entityId: receiptNo,
          details: { request: row.number, reason: a.reason, waivedKzt: row.fee_kzt, role: staff.role },
        },
      });
      // The step is the cash desk's: an administrator's exemption completes it as the cash desk would (the step's
      // role), under the administrator's own login; the exemption's audit entry above names the real role.
      const actor = { ...engineActor(staff), role: step.role, specialty: step.specialty ?? null };
      engine.completeStep(row.id, open.step_id, actor, { note: `exemption ${receiptNo} (${a.reason})` });
      return receiptNo;
    })
    .immediate();
  return exemptionView(feeExemptionByReceipt(app.db, receipt)!);
}

export function exemptionByReceipt(app: AppContext, receiptNo: string): FeeExemption | null {
  const e = feeExemptionByReceipt(app.db, receiptNo);
  return e ? exemptionView(e) : null;
}

function exemptionView(e: FeeExemptionView): FeeExemption {
  return {
    receiptNo: e.receipt_no,
    requestId: e.request_id,
    requestNumber: e.request_number,
    serviceId: e.service_id,
    reason: e.reason as FeeExemptionReason,
    waivedKzt: e.waived_kzt,
    createdAt: e.created_at,
    by: e.staff_name,
  };
}
