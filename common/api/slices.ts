/**
 * The list of contract slices, keyed by their file name in common/api/. common/api/index.ts merges them into the
 * one map; the handler maps (electron/services/handlers/) and the contract test read them from here. A new
 * domain is a new slice file plus one line here (and its handler map).
 */
import { adminApi } from './admin';
import { appointmentsApi } from './appointments';
import { attachmentsApi } from './attachments';
import { cashApi } from './cash';
import { clinicSetupApi } from './clinic-setup';
import { deskApi } from './desk';
import { deskFormsApi } from './desk-forms';
import { dispensaryApi } from './dispensary';
import { districtsApi } from './districts';
import { erequestsApi } from './erequests';
import { homeVisitsApi } from './home-visits';
import { journalsApi } from './journals';
import { maintenanceApi } from './maintenance';
import { peopleApi } from './people';
import { sessionApi } from './session';
import { signingApi } from './signing';
import { syncApi } from './sync';
import { timetablesApi } from './timetables';
import { updatesApi } from './updates';
import { verificationsApi } from './verifications';
import { workflowApi } from './workflow';

export const API_SLICES = {
  session: sessionApi,
  people: peopleApi,
  admin: adminApi,
  workflow: workflowApi,
  sync: syncApi,
  signing: signingApi,
  desk: deskApi,
  'desk-forms': deskFormsApi,
  districts: districtsApi,
  timetables: timetablesApi,
  appointments: appointmentsApi,
  'home-visits': homeVisitsApi,
  attachments: attachmentsApi,
  journals: journalsApi,
  dispensary: dispensaryApi,
  cash: cashApi,
  erequests: erequestsApi,
  maintenance: maintenanceApi,
  'clinic-setup': clinicSetupApi,
  updates: updatesApi,
  verifications: verificationsApi,
} as const;

export type ApiSlices = typeof API_SLICES;
export type ApiSliceName = keyof ApiSlices;
