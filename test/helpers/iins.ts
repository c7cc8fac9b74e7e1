/** Many distinct valid IINs for registers in tests and the bench. */
import { makeIin } from '../../common/iin';

/** `n` distinct valid IINs, spread over 80 years of birth dates (both sexes; 26,880 dates, then the serial goes up). */
export function distinctIins(n: number): string[] {
  return Array.from({ length: n }, (_, i) =>
    makeIin(
      `${1940 + (i % 80)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (Math.floor(i / 12) % 28)).padStart(2, '0')}`,
      i % 2 ? 'M' : 'F',
      1 + (Math.floor(i / 336) % 9999),
    ),
  );
}
