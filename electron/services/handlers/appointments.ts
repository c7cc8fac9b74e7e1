/** Handlers of the `appointments.*` slice (common/api/appointments.ts): electron/services/desk. */
import type { appointmentsApi } from '../../../common/api/appointments';
import * as deskDocuments from '../desk/documents';
import * as desk from '../desk/service';
import { me, type SliceHandlers } from './context';

export const appointmentsHandlers: SliceHandlers<typeof appointmentsApi> = {
  'appointments.freeSlots': (ctx, a) => desk.searchFreeSlots(ctx.app, a),
  'appointments.book': (ctx, a) => desk.book(ctx.app, me(ctx), a),
  'appointments.cancel': (ctx, a) => desk.cancelAppointment(ctx.app, me(ctx), a),
  'appointments.reschedule': (ctx, a) => desk.reschedule(ctx.app, me(ctx), a),
  'appointments.ofPerson': (ctx, a) => desk.personAppointments(ctx.app, a.iin),
  'appointments.slip': (ctx, a) => deskDocuments.slipPdf(ctx.app, me(ctx), a.id),
};
