/**
 * Prices set on several desks of one clinic (issue 13) end the same on every desk, whatever order the rows reach a
 * desk in: the same start set twice keeps the fee the server received last, and each price ends the day before the
 * next one starts. Found by `tirkeu simulate-clinic`: a desk that had set a later price first and then pulled an
 * earlier one kept two open-ended prices, and a desk kept its own fee for a start another desk set after it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PulledRow } from '../../../common/sync-protocol';
import { listPrices } from '../../../db/dispensary';
import { applyPulledPage } from '../../../db/sync';
import { createTestWorkstation, type TestWorkstation } from '../../helpers/app';
import { workingDayClock } from '../../helpers/clock';

const opened: TestWorkstation[] = [];
afterEach(() => opened.splice(0).forEach((w) => w.close()));

const clock = workingDayClock('09:00', 'Asia/Atyrau');
const price = (feeKzt: number, effectiveFrom: string): PulledRow => ({
  kind: 'price',
  key: `tb-certificate@${effectiveFrom}`,
  payload: { serviceId: 'tb-certificate', feeKzt, effectiveFrom },
  deleted: false,
});
const tb = (w: TestWorkstation) =>
  listPrices(w.app.db)
    .filter((p) => p.service_id === 'tb-certificate')
    .map((p) => [p.fee_kzt, p.effective_from, p.effective_to]);

describe('prices pulled in any order', () => {
  it('end the same on every desk: the server’s last fee per start, each price ending the day before the next', async () => {
    // The server's order: 1000 from 03-01, 1200 from 05-01, 1100 from 04-01, then 1300 from 05-01 again.
    const serverOrder = [price(1000, '2031-03-01'), price(1200, '2031-05-01'), price(1100, '2031-04-01'), price(1300, '2031-05-01')];
    const inOrder = createTestWorkstation({ population: 0, clock: clock.read });
    const admin = await inOrder.as('admin');
    opened.push(inOrder);
    applyPulledPage(inOrder.app.db, serverOrder, 'c1', clock.now);
    const expected = [
      [1000, '2031-03-01', '2031-03-31'],
      [1100, '2031-04-01', '2031-04-30'],
      [1300, '2031-05-01', null],
    ];
    expect(tb(inOrder)).toEqual(expected);

    // A desk that set 1300 from 05-01 itself first (before it pulled anything), then pulled the whole order.
    const own = createTestWorkstation({ population: 0, clock: clock.read });
    opened.push(own);
    const ownAdmin = await own.as('admin');
    await ownAdmin.call('prices.set', { serviceId: 'tb-certificate', feeKzt: 1300, effectiveFrom: '2031-05-01' });
    for (const row of serverOrder) applyPulledPage(own.app.db, [row], 'c', clock.now);
    expect(tb(own)).toEqual(expected);

    // What the application charges on a date follows the chain.
    expect((await admin.call('prices.list', {})).filter((p) => p.serviceId === 'tb-certificate')).toEqual(
      expected.map(([feeKzt, effectiveFrom, effectiveTo]) => expect.objectContaining({ feeKzt, effectiveFrom, effectiveTo })),
    );
  });
});
