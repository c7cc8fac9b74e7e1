/** The dispensary parts of a request screen: register checks (to its roles), payment, certificate, HIV test. */
import type { RequestExtras } from '../../../common/dispensary';
import { ApiError } from '../../../common/errors';
import { stepById } from '../../../common/regulations';
import { getRequestRow, openStepRow } from '../../../db/requests';
import type { StaffRow } from '../../../db/staff';
import type { AppContext } from '../app';
import { dueStepAction } from '../workflow/actions';
import { catalogOf } from '../workflow/context';
import { paymentView } from './cash';
import { ofRequest } from './certificates';
import { testOf } from './hiv';
import { checksVisibleTo } from './registers';
import { HIV_SERVICE, registerCheckOf, seesHivIdentity, seesRegister } from './rules';
import { screenActionOf } from './step-actions';

export function extras(app: AppContext, staff: StaffRow, requestId: number): RequestExtras {
  const row = getRequestRow(app.db, requestId);
  if (!row) throw new ApiError('not-found', `no service request ${requestId}`, { id: requestId });
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const rule = def ? registerCheckOf(def) : null;
  const open = row.status === 'open' ? openStepRow(app.db, row.id) : undefined;
  const step = def && open ? stepById(def, open.step_id) : undefined;
  const pay = paymentView(app, row.id);
  const hiv = row.service_id === HIV_SERVICE && seesHivIdentity(staff) ? testOf(app, row.id) : null;
  return {
    register: rule?.register ?? null,
    registerVisible: rule ? seesRegister(staff, rule.register) : false,
    checks: checksVisibleTo(app, staff, row.id, rule?.register ?? null),
    payment: pay.payment,
    paymentVoided: pay.voided,
    certificate: ofRequest(app, staff, row.id),
    stepAction: def && step ? screenActionOf(dueStepAction(step, { feeKzt: row.fee_kzt })) : null,
    hiv:
      hiv ??
      (row.service_id === HIV_SERVICE && seesHivIdentity(staff)
        ? {
            code: row.anonymous_code ?? row.number,
            mode: row.anonymous_code ? 'anonymous' : 'confidential',
            sampleNo: null,
            result: null,
            resultAt: null,
          }
        : null),
  };
}
