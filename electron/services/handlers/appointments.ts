/** Handlers of the `appointments.*` slice (common/api/appointments.ts): electron/services/desk. */
import type { appointmentsApi } from '../../../common/api/appointments';
import * as deskPrintouts from '../desk/printouts';
import { DESK_SERVICES } from '../../../common/desk';
import * as appointments from '../desk/appointments';
import { certifiedDeskAction } from '../desk/forms';
import * as freeSlots from '../desk/free-slots';
import { me, type SliceHandlers } from './context';

export const appointmentsHandlers: SliceHandlers<typeof appointmentsApi> = {
  'appointments.freeSlots': (ctx, a) => freeSlots.searchFreeSlots(ctx.app, a),
  'appointments.book': (ctx, { certification, ...form }) =>
    certifiedDeskAction(ctx.app, me(ctx), DESK_SERVICES.appointment, form, certification, () => appointments.book(ctx.app, me(ctx), form)),
  'appointments.cancel': (ctx, a) => appointments.cancelAppointment(ctx.app, me(ctx), a),
  'appointments.reschedule': (ctx, a) => appointments.reschedule(ctx.app, me(ctx), a),
  'appointments.ofPerson': (ctx, a) => appointments.personAppointments(ctx.app, a.iin),
  'appointments.lost': (ctx) => appointments.lostAppointments(ctx.app, me(ctx)),
  'appointments.slip': (ctx, a) => deskPrintouts.slipPdf(ctx.app, me(ctx), a.id),
};
