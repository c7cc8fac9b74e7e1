/**
 * The intake takes a backlog in slices (issue 18, goal 4): a desk that pulls many e-requests at once registers them
 * a few at a time, each slice one short transaction, and lets the event loop run between slices, so the window's
 * calls are answered meanwhile. A backlog taken in one long transaction would show no state in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EREQUEST_ROW_KIND, type ErequestRowPayload } from '../../../common/erequests';
import { applyPulledPage, getCursor } from '../../../db/sync';
import { processInbox } from '../../../electron/services/erequests/intake';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';
import { homeVisitRequest, setUpStandaloneErequestDesk } from '../../helpers/erequests';
import { createTestPki, type TestPki } from '../../helpers/pki';

const BACKLOG = 40;
let pki: TestPki;
let ws: TestWorkstation;
const clock = workingDayClock('10:00');

beforeAll(async () => {
  pki = createTestPki({ clock });
  ws = createTestWorkstation({ population: 20, clock: clock.read });
  await setUpStandaloneErequestDesk(ws, pki);
  const rows: ErequestRowPayload[] = [];
  for (let i = 0; i < BACKLOG; i++) {
    const content = homeVisitRequest(pki, clock.now);
    rows.push({
      number: `S${String(i).padStart(8, '0')}`,
      requestId: content.requestId,
      serviceType: 'home-visit',
      iin: pki.citizenIin,
      organizationBin: pki.organizationBin,
      receivedAt: clock.now.toISOString(),
      cms: pki.signRequest(content, 'valid').toString('base64'),
    });
  }
  // As a sync round leaves them: pulled, not yet taken in.
  applyPulledPage(
    ws.app.db,
    rows.map((p) => ({ kind: EREQUEST_ROW_KIND, key: p.number, payload: p, deleted: false })),
    getCursor(ws.app.db) ?? '',
    clock.now,
  );
}, 120_000);

afterAll(() => {
  ws?.close();
  pki?.cleanup();
});

describe('a backlog of pulled e-requests', () => {
  it('is registered a slice at a time, with the desk answering between slices', async () => {
    const registered = () =>
      (ws.app.db.prepare(`SELECT count(*) AS n FROM erequest WHERE registered_as IS NOT NULL`).get() as { n: number }).n;
    const registrar = await ws.as('registrar');
    let done = false;
    const round = processInbox(ws.app).finally(() => (done = true));
    // Between the intake's turns: what the desk's state shows, and when a registrar's searches are answered.
    const seen: number[] = [];
    const answeredAt: number[] = [];
    const observing = (async () => {
      while (!done) {
        seen.push(registered());
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const searching = (async () => {
      while (!done) {
        await registrar.call('people.search', { query: 'Тест' });
        answeredAt.push(registered());
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const r = await round;
    await Promise.all([observing, searching]);
    expect(r.processed).toBe(BACKLOG);
    expect(registered()).toBe(BACKLOG);
    const partly = (n: number) => n > 0 && n < BACKLOG;
    // Counts strictly between none and all: the backlog was committed in several transactions…
    expect(seen.filter(partly).length, `counts seen: ${[...new Set(seen)].join(', ')}`).toBeGreaterThan(0);
    // …and the registrar's search was answered while it was still being taken in.
    expect(answeredAt.filter(partly).length, `searches answered at: ${answeredAt.join(', ')}`).toBeGreaterThan(0);
  }, 120_000);
});
