/**
 * Business days (docs/rules.md#numbering-and-the-business-day): the branch-local date, in the
 * branch's IANA time zone, of (instant − resetHour hours). DST is handled by Intl, which knows
 * each zone's offsets.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  // IANA names: `Europe/Madrid`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`, `EST5EDT`, `UTC`.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

export function localTime(instant: Date, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dateOf = (t: LocalTime) => `${pad(t.year, 4)}-${pad(t.month)}-${pad(t.day)}`;

/** The business day an instant belongs to, as `YYYY-MM-DD`. */
export function businessDayOf(instant: Date, timeZone: string, resetHour: number): string {
  return dateOf(localTime(new Date(instant.getTime() - resetHour * 3_600_000), timeZone));
}

/** Branch-local hour of an instant, `00`–`23` (the report's `hour` group). */
export function localHourOf(instant: Date, timeZone: string): string {
  return pad(localTime(instant, timeZone).hour);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The UTC instant at which a wall-clock time occurs in a zone. For a time skipped by a DST
 * jump it returns the first valid instant after it; for a repeated time, the first one.
 */
export function zonedInstant(date: string, hour: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wanted = Date.UTC(y, m - 1, d, hour);
  // Start from the wall time read as UTC and correct by the zone's offset, twice (DST edges).
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const t = localTime(new Date(guess), timeZone);
    const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    guess += wanted - asUtc;
  }
  const t = localTime(new Date(guess), timeZone);
  const landed = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  if (landed < wanted) {
    // The wall time does not exist (spring forward): move to the first instant after the gap.
    guess += wanted - landed;
  }
  // Prefer the earlier of two instants with the same wall time (fall back).
  const earlier = guess - 3_600_000;
  const te = localTime(new Date(earlier), timeZone);
  if (Date.UTC(te.year, te.month - 1, te.day, te.hour, te.minute, te.second) === wanted)
    return new Date(earlier);
  return new Date(guess);
}

/**
 * When the business day `day` ends: the first instant whose business day is the next date,
 * i.e. local midnight starting the next date, plus resetHour hours of real time. On a DST
 * change that is an hour off resetHour on the wall clock (04:00 local on the spring-forward
 * night with resetHour 3), exactly as businessDayOf defines it.
 */
export function businessDayEnd(day: string, timeZone: string, resetHour: number): Date {
  return new Date(zonedInstant(addDays(day, 1), 0, timeZone).getTime() + resetHour * 3_600_000);
}
