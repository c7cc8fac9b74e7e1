/**
 * The front desk (issue 4), as one import: a re-export of the desk's modules, which are named after the API's
 * method prefixes (districts.ts, timetables.ts, free-slots.ts and appointments.ts, home-visits.ts, attachments.ts,
 * overview.ts; doctors.ts and common.ts hold what they share).
 *
 * This file exists only until the handlers (electron/services/handlers.ts) and the e-request service import those
 * modules directly; new code imports the module it needs, not this barrel. Delete it then.
 */
export * from './appointments';
export * from './attachments';
export { localIso, organization, fullName as rowFullName } from './common';
export * from './districts';
export { listDoctorViews } from './doctors';
export * from './free-slots';
export * from './home-visits';
export * from './overview';
export * from './timetables';
