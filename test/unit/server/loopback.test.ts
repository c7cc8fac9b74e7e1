/** The plain-HTTP and admin-route rules trust loopback IP literals only, never a host name that looks like one. */
import { describe, expect, it } from 'vitest';
import { isLoopback } from '../../../server/app';

describe('isLoopback', () => {
  it('is true for loopback IP literals only', () => {
    for (const yes of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopback(yes)).toBe(true);
    for (const no of [
      '127.attacker.example',
      '127.0.0.1.nip.io',
      'localhost.evil',
      '10.0.0.1',
      '::ffff:10.0.0.1',
      '',
      undefined,
      '1270.0.0.1',
    ])
      expect(isLoopback(no)).toBe(false);
  });
});
