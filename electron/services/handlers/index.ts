/**
 * One handler per API method, in one handler map per contract slice: electron/services/handlers/<slice>.ts
 * implements exactly the methods of common/api/<slice>.ts (a missing or extra handler is a type error), and
 * `handlersBySlice` must hold a map for every slice. The dispatcher has already checked the caller's role and
 * parsed the arguments with the contract's schema, so handlers receive typed, validated arguments and a
 * logged-in staff member (or null for public methods).
 */
import type { ApiMethod, ApiParsedArgs, ApiResult } from '../../../common/api';
import type { ApiSliceName, ApiSlices } from '../../../common/api/slices';
import { adminHandlers } from './admin';
import { appointmentsHandlers } from './appointments';
import { attachmentsHandlers } from './attachments';
import { cashHandlers } from './cash';
import { clinicSetupHandlers } from './clinic-setup';
import type { CallContext, SliceHandlers } from './context';
import { deskHandlers } from './desk';
import { deskFormsHandlers } from './desk-forms';
import { dispensaryHandlers } from './dispensary';
import { districtsHandlers } from './districts';
import { erequestsHandlers } from './erequests';
import { homeVisitsHandlers } from './home-visits';
import { journalsHandlers } from './journals';
import { maintenanceHandlers } from './maintenance';
import { peopleHandlers } from './people';
import { sessionHandlers } from './session';
import { signingHandlers } from './signing';
import { syncHandlers } from './sync';
import { timetablesHandlers } from './timetables';
import { updatesHandlers } from './updates';
import { verificationsHandlers } from './verifications';
import { workflowHandlers } from './workflow';

export type { CallContext } from './context';

type Handler<M extends ApiMethod> = (ctx: CallContext, args: ApiParsedArgs<M>) => ApiResult<M> | Promise<ApiResult<M>>;
export type Handlers = { [M in ApiMethod]: Handler<M> };

export const handlersBySlice: { [S in ApiSliceName]: SliceHandlers<ApiSlices[S]> } = {
  session: sessionHandlers,
  people: peopleHandlers,
  admin: adminHandlers,
  workflow: workflowHandlers,
  sync: syncHandlers,
  signing: signingHandlers,
  desk: deskHandlers,
  'desk-forms': deskFormsHandlers,
  districts: districtsHandlers,
  timetables: timetablesHandlers,
  appointments: appointmentsHandlers,
  'home-visits': homeVisitsHandlers,
  attachments: attachmentsHandlers,
  journals: journalsHandlers,
  dispensary: dispensaryHandlers,
  cash: cashHandlers,
  erequests: erequestsHandlers,
  maintenance: maintenanceHandlers,
  'clinic-setup': clinicSetupHandlers,
  updates: updatesHandlers,
  verifications: verificationsHandlers,
};

// Every slice has its map and every map has exactly its slice's methods, so together they cover the contract.
export const handlers = Object.assign({}, ...Object.values(handlersBySlice)) as Handlers;
