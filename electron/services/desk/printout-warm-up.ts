/**
 * The printing path warmed up in idle time after start-up (issue 18, goal 2). A talon is about 4 ms once V8 has
 * compiled pdfkit's and fontkit's hot functions with its optimizing compiler, but the first few dozen renders of a
 * fresh process run in the interpreter and baseline code and take 3–4× as long, so the registrar's first talons of
 * the day were the slow ones. Rendering sample talons (a made-up clinic and person, nothing read from or written to
 * the database, no verification record) while nobody is waiting moves that cost to where nobody feels it. Each
 * render is one turn of the event loop (a few milliseconds); the renders are spaced by setImmediate, so a click or
 * an API call between two of them is answered at once.
 */
import type { Attachment } from '../../../common/desk';
import type { Organization } from '../../../common/schemas';
import type { VerificationMark } from '../verification/records';
import { renderTalon } from './printouts';

/** Enough renders for V8 to optimize the talon's hot paths (the bench's p99 settles after 30–60 on its machine). */
export const WARM_UP_RENDERS = 60;

const SAMPLE_ORG: Organization = {
  bin: '000000000000',
  name: { kk: 'Үлгі емхана', ru: 'Образец поликлиники', en: 'Sample clinic' },
  region: 'astana',
  timezone: 'Asia/Almaty',
  address: 'Астана қ., Бейбітшілік к-сі, 1',
  workstationPrefix: 'WU',
};

const SAMPLE_TALON: Attachment = {
  id: 0,
  talonNumber: 'WU-000000',
  requestNumber: 'WU-000000',
  person: {
    iin: '000000000000',
    name: 'Үлгі Әлия Нұрланқызы',
    birthDate: '1990-01-01',
    address: 'Астана қ., Тұран д-лы, 12-үй, 34-пәтер',
    phone: null,
  },
  district: { id: 0, number: '1', name: 'Үлгі учаске' },
  doctor: { id: 0, fullName: 'Дәрігер Үлгі', specialty: 'therapist' },
  documents: ['application', 'identity-document'],
  previousOrganization: '№2 қалалық емхана',
  districtChosenByHand: false,
  status: 'active',
  attachedAt: '2026-01-05T04:00:00.000Z',
  date: '2026-01-05',
  verification: '',
  createdBy: 'Тіркеуші Үлгі',
};

const SAMPLE_MARK: VerificationMark = {
  number: SAMPLE_TALON.talonNumber,
  code: '0000000000000000',
  grouped: '0000-0000-0000-0000',
  url: 'https://example.invalid/v/WU-000000/0000000000000000',
};

/** Renders `renders` sample talons one event-loop turn apart; resolves with how many were rendered. */
export async function warmPrintouts(renders = WARM_UP_RENDERS, stopped: () => boolean = () => false): Promise<number> {
  let done = 0;
  while (done < renders && !stopped()) {
    await renderTalon(SAMPLE_TALON, SAMPLE_ORG, SAMPLE_MARK);
    done++;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return done;
}

/**
 * Starts the warm-up `delayMs` after start-up (the login screen first); returns a function that stops it. A failed
 * render is only a missed warm-up: the caller's `onError` logs it and the desk prints as before. `onDone` hears how
 * many sample talons were rendered and how long the warm-up took, idle turns included.
 */
export function startPrintoutWarmUp(
  options: { delayMs?: number; onError?: (error: unknown) => void; onDone?: (renders: number, ms: number) => void } = {},
): () => void {
  let stop = false;
  const timer = setTimeout(() => {
    const started = performance.now();
    warmPrintouts(WARM_UP_RENDERS, () => stop).then(
      (renders) => options.onDone?.(renders, Math.round(performance.now() - started)),
      (error: unknown) => options.onError?.(error),
    );
  }, options.delayMs ?? 3000);
  timer.unref();
  return () => {
    stop = true;
    clearTimeout(timer);
  };
}
