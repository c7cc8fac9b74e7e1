/** Time stamps stored as ISO-8601 UTC strings: they sort as text and read the same in every time zone. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
export const iso = (d: Date) => d.toISOString();
