const pad = (value: number): string => String(value).padStart(2, '0');

/** Formats a date as the `YYYYMMDD_HHMMSS` stamp of run file names, in UTC so CI and laptops agree. */
export function formatRunTimestamp(date: Date): string {
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}_` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}
