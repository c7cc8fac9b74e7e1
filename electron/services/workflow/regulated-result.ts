/**
 * A service is done only with its regulated result (issue 15, point 4). The home-visit call, the appointment and the
 * attachment end with an entry in their journal (шақыруларды тіркеу журналы, алдын ала жазылу журналы, МСАК-қа тіркеу
 * журналы) and the talon or the date and time told to the person: those are written by the front desk's own
 * methods (electron/services/desk), which complete the request's steps themselves. The generic queue's plain
 * completion must not end such a request without that row: it is refused, naming the journal.
 */
import { ApiError } from '../../../common/errors';
import { chooseEdge, DONE, resolveStep, type ServiceDefinition, type StepDefinition } from '../../../common/regulations';
import { DESK_JOURNALS, hasJournalEntry, type DeskJournal } from '../../../db/desk/journals';
import type { RequestRow } from '../../../db/requests';
import type { AppContext } from '../app';

/** Refuses the plain completion of `step` when it would end the request with its result and the journal row is missing. */
export function requireRegulatedResult(
  app: AppContext,
  row: RequestRow,
  def: ServiceDefinition,
  step: StepDefinition,
  condition: string | null,
): void {
  const journal = def.journal as DeskJournal;
  if (!DESK_JOURNALS.includes(journal)) return;
  // An unknown condition is the engine's to refuse (with the field named).
  if (condition !== null && !step.next.some((e) => e.when === condition)) return;
  const edge = chooseEdge(step, condition === null ? [] : [condition]);
  // A motivated refusal or another outcome is a result of its own: no journal row is due.
  if (edge.refusal || edge.outcome) return;
  if (edge.to !== DONE && resolveStep(def, edge.to, { feeKzt: row.fee_kzt }) !== DONE) return;
  if (hasJournalEntry(app.db, journal, row.id)) return;
  throw new ApiError(
    'journal-entry-required',
    `request ${row.number} ends with an entry in the ${journal} journal, which the front desk makes: complete it there (or record a refusal)`,
    { journal, number: row.number, step: step.id },
  );
}
