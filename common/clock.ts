/**
 * The one clock. Production code reads "now" only through a `Clock` it was given (the workstation's AppContext,
 * the central server's options, a CLI's entry point); `systemClock` is the single place the real time is read,
 * so a test can hand every part of the system the same test clock and never mix two notions of now by accident.
 * The boundaries test (test/unit/boundaries.test.ts) keeps `new Date()`/`Date.now()` out of electron/services, db/ and server/.
 *
 * Time stamps are stored as ISO-8601 UTC strings: they sort as text and read the same in every time zone.
 */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const iso = (d: Date) => d.toISOString();
