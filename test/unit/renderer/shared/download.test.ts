// @vitest-environment happy-dom
/**
 * The browser download behind the CSV reports and the rejected rows (renderer/src/shared/download.ts): one hidden
 * anchor with the file's name and an object URL holding the text, clicked once, removed, and the URL revoked
 * only after the browser has had time to read it. The URL functions are the browser's own, watched, not replaced.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { downloadText } from '../../../../renderer/src/shared/download';

/** The anchors clicked in the page, as the browser would see them (the click itself does not navigate here). */
let clicked: { href: string; download: string; inPage: boolean }[] = [];
function recordClick(e: Event) {
  const a = e.target as HTMLAnchorElement;
  clicked.push({ href: a.href, download: a.download, inPage: document.body.contains(a) });
  e.preventDefault();
}
let created: MockInstance<typeof URL.createObjectURL>;
let revoked: MockInstance<typeof URL.revokeObjectURL>;
beforeEach(() => {
  vi.useFakeTimers();
  clicked = [];
  document.addEventListener('click', recordClick);
  created = vi.spyOn(URL, 'createObjectURL');
  revoked = vi.spyOn(URL, 'revokeObjectURL');
});
afterEach(() => {
  document.removeEventListener('click', recordClick);
  vi.restoreAllMocks();
  vi.useRealTimers();
});

/** The Blob behind the one object URL made, with that URL. */
function madeBlob(): { url: string; blob: Blob } {
  expect(created).toHaveBeenCalledTimes(1);
  return { blob: created.mock.calls[0]![0] as Blob, url: created.mock.results[0]!.value as string };
}

describe('downloadText', () => {
  it('clicks an anchor named after the file whose URL holds the text, leaves no anchor, revokes the URL late', async () => {
    const csv = '\uFEFFиин;күні\n900101300123;01.12.2026\n';
    downloadText(csv, 'deadlines-2026-12.csv');

    const { url, blob } = madeBlob();
    expect(clicked).toEqual([{ href: url, download: 'deadlines-2026-12.csv', inPage: true }]);
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(blob.type).toBe('text/csv;charset=utf-8');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new TextEncoder().encode(csv));

    // Kept just after the click (the browser reads it then), revoked once the delay has passed.
    vi.advanceTimersByTime(9_000);
    expect(revoked).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(revoked).toHaveBeenCalledExactlyOnceWith(url);
  });

  it('takes another type for other text', async () => {
    downloadText('{"a":1}', 'a.json', 'application/json');
    const { url, blob } = madeBlob();
    expect(clicked).toEqual([{ href: url, download: 'a.json', inPage: true }]);
    expect(blob.type).toBe('application/json');
    expect(await blob.text()).toBe('{"a":1}');
  });
});
