/**
 * The workstation's side of the contract's projections (common/api/projections.ts): what a projection needs to
 * know of a request (the sensitivity of its service, the steps started on it), read from the database once per
 * request and call.
 */
import type { ProjectionContext, RequestFacts } from '../../common/api/projections';
import { HIV_SERVICE, type Sensitivity } from '../../common/need-to-know';
import { getRequestRow, listStepRows } from '../../db/requests';
import type { StaffRow } from '../../db/staff';
import type { AppContext } from './app';
import { registerCheckOf } from './dispensary/rules';
import { catalogOf } from './workflow/context';

export function projectionContext(app: AppContext, staff: StaffRow | null): ProjectionContext {
  const cache = new Map<number, RequestFacts | null>();
  return {
    viewer: staff ? { role: staff.role, specialty: staff.specialty } : { role: 'public', specialty: null },
    request(id) {
      if (!cache.has(id)) cache.set(id, requestFacts(app, id));
      return cache.get(id)!;
    },
  };
}

function requestFacts(app: AppContext, id: number): RequestFacts | null {
  const row = getRequestRow(app.db, id);
  if (!row) return null;
  const def = catalogOf(app).catalog.byKey(row.definition_key);
  const rule = def ? registerCheckOf(def) : null;
  const sensitivity: Sensitivity | null =
    row.service_id === HIV_SERVICE ? { kind: 'hiv' } : rule ? { kind: 'register', register: rule.register, stepId: rule.stepId } : null;
  return { sensitivity, startedSteps: listStepRows(app.db, id).map((s) => ({ role: s.role, specialty: s.specialty })) };
}
