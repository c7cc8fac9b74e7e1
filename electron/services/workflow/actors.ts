/**
 * Who acts on a request's steps and what they may do: the role checks and labels the step engine, the desks and the
 * e-request decisions share, and the anonymous client's code.
 */
import { randomInt } from 'node:crypto';
import type { StepDefinition } from '../../../common/regulations';
import type { Specialty } from '../../../common/roles';
import type { Actor } from '../../../db/audit';

/** Who acts: a staff member (role + specialty), or an external actor (`portal`, `citizen`) fed by the gateway. */
export interface EngineActor extends Actor {
  specialty: Specialty | null;
}

/** Whether an actor may complete a step: the step's role, and the step's specialty when it names one. */
export function canAct(
  step: Pick<StepDefinition, 'role' | 'specialty'> | { role: string; specialty: string | null },
  actor: Pick<EngineActor, 'role' | 'specialty'>,
): boolean {
  if (step.role !== actor.role) return false;
  const specialty = step.specialty ?? null;
  return specialty === null || specialty === actor.specialty;
}

/** May cancel: anyone who may act on the current step, or the administrator. */
export function canCancel(
  step: { role: string; specialty: string | null } | null,
  actor: Pick<EngineActor, 'role' | 'specialty'>,
): boolean {
  return actor.role === 'administrator' || (step !== null && canAct(step, actor));
}

export function actorLabel(step: { role: string; specialty?: string | null }): string {
  return step.specialty ? `${step.role}/${step.specialty}` : step.role;
}

/** Unambiguous letters and digits for anonymous codes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/** A random code for an anonymous client: not derived from anything about the person. */
export function anonymousCode(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}
