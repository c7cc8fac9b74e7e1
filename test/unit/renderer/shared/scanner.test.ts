/** The scan detector (issue 19): scanner speed and a verification URL make a scan; a person's pace does not. */
import { describe, expect, it } from 'vitest';
import { createScanDetector, type ScanTarget } from '../../../../renderer/src/shared/scanner';

const URL_TEXT = 'https://tirkeu.example.kz/v/D1-T000001/E717-X3ZJ-PJ3G-RB35';

function feed(text: string, gaps: (i: number) => number) {
  let t = 1000;
  const got: ScanTarget[] = [];
  let prevented = 0;
  const d = createScanDetector({ onScan: (x) => got.push(x), now: () => t });
  [...text, 'Enter'].forEach((key, i) => {
    t += gaps(i);
    const e = { key, preventDefault: () => prevented++, stopPropagation() {}, target: null, ctrlKey: false, altKey: false, metaKey: false };
    d.onKeydown(e as unknown as KeyboardEvent);
  });
  return { got, prevented };
}

describe('the scan detector', () => {
  it('takes a burst at scanner speed ending in Enter, even with one key held back', () => {
    expect(feed(URL_TEXT, () => 4).got).toEqual([{ number: 'D1-T000001', code: 'E717X3ZJPJ3GRB35' }]);
    expect(feed(URL_TEXT, (i) => (i === 20 ? 60 : 5)).got).toHaveLength(1);
    expect(feed(URL_TEXT, () => 4).prevented).toBe(1);
  });

  it('leaves a person’s typing, a pause, and a text without a document URL alone', () => {
    expect(feed(URL_TEXT, () => 80).got).toEqual([]);
    expect(feed(URL_TEXT, () => 35).got).toEqual([]);
    expect(feed(URL_TEXT, (i) => (i === 30 ? 500 : 4)).got).toEqual([]);
    expect(feed('https://example.kz/search/D1-T000001', () => 4).got).toEqual([]);
    expect(feed('850301400118', () => 4).prevented).toBe(0);
  });
});
