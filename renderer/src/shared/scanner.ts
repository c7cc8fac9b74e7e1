/**
 * The desk's QR scanner (issue 19). A USB scanner is a keyboard: it types the URL of the QR code, key after key
 * faster than anyone types (a few milliseconds apart), and ends with Enter. A burst of keys that ends in Enter,
 * whose keys came on average less than `maxGapMs` apart (and none more than `breakMs` after the one before), and
 * holds `/v/<number>/<code>` anywhere is a scan; anything slower is a person typing and is left alone. The average,
 * not each gap: a busy renderer may hold one key back a little, while a person types 50 keys at 30 ms never.
 * When the scan went into a text field, its text is taken out of the field again.
 */
import { findVerificationUrl } from '../../../common/verification';

export interface ScanTarget {
  number: string;
  code: string;
}

export interface ScanDetectorOptions {
  onScan: (target: ScanTarget) => void;
  /** The longest average pause between the keys of a scan (ms). */
  maxGapMs?: number;
  /** A pause that ends a burst whatever came before (ms). */
  breakMs?: number;
  /** The keyboard event's time source (tests drive it). */
  now?: () => number;
}

export interface ScanDetector {
  /** Feed every keydown of the window (capture phase). Returns true when the key completed a scan. */
  onKeydown(e: KeyboardEvent): boolean;
  reset(): void;
}

const MIN_SCAN = '/v/A/0123456789ABCDEF'.length;

export function createScanDetector(options: ScanDetectorOptions): ScanDetector {
  const maxGap = options.maxGapMs ?? 30;
  const breakMs = options.breakMs ?? 100;
  const now = options.now ?? (() => performance.now());
  let buffer = '';
  let last = -Infinity;
  let start = 0;
  const reset = () => {
    buffer = '';
    last = -Infinity;
  };
  return {
    reset,
    onKeydown(e) {
      const t = now();
      const inBurst = t - last <= breakMs;
      last = t;
      if (e.key === 'Enter') {
        const text = inBurst ? buffer : '';
        buffer = '';
        if (text.length < MIN_SCAN || (t - start) / text.length > maxGap) return false;
        const target = findVerificationUrl(text);
        if (!target) return false;
        e.preventDefault();
        e.stopPropagation();
        takeOutOfField(e.target, text);
        options.onScan(target);
        return true;
      }
      if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey) {
        if (e.key !== 'Shift') buffer = '';
        return false;
      }
      if (!inBurst || buffer === '') start = t;
      buffer = inBurst ? buffer + e.key : e.key;
      return false;
    },
  };
}

/** The scanned text typed into a field is not what the person meant to enter there. */
function takeOutOfField(target: EventTarget | null, text: string): void {
  const field = target as HTMLInputElement | HTMLTextAreaElement | null;
  if (!field || !('value' in field) || typeof field.value !== 'string') return;
  const at = field.value.lastIndexOf(text.slice(1));
  if (at < 0) return;
  const start = Math.max(0, at - 1);
  field.value = field.value.slice(0, start) + field.value.slice(at + text.length - 1);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}
