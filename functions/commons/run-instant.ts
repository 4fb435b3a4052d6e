/**
 * The instant a scheduled run is for: `at` (the local job runner's clock), `scheduledTime` (the
 * `<aws.scheduler.scheduled-time>` context attribute infra/cron.ts puts in the payload — the same
 * on every retry of one run), `time` (a classic EventBridge "Scheduled Event"), else now.
 */
export interface RunEvent {
  at?: string;
  scheduledTime?: string;
  time?: string;
}

/** Date-time with seconds optional, fraction optional, and a mandatory zone (`Z` or `±hh:mm`). */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/i;

/**
 * Parses an ISO 8601 instant. A zone is required: a bare local time would mean a different
 * instant on every machine. Impossible dates (Feb 30, 24:00) are refused rather than rolled over.
 */
export function parseInstant(value: string): Date {
  const m = ISO_INSTANT.exec(value);
  const [year, month, day, hour, minute, second = 0, offsetHours = 0, offsetMinutes = 0] = (m ?? [])
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(value);
  const valid =
    m !== null &&
    !Number.isNaN(date.getTime()) &&
    month! >= 1 &&
    month! <= 12 &&
    day! >= 1 &&
    day! <= new Date(Date.UTC(year!, month!, 0)).getUTCDate() &&
    hour! <= 23 &&
    minute! <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  if (!valid) {
    throw new RangeError(
      `Invalid instant "${value}": expected an ISO 8601 date-time with a zone, e.g. 2025-03-10T02:05:00Z`,
    );
  }
  return date;
}

export function runInstant(event: RunEvent | null | undefined, now = new Date()): Date {
  const given = event?.at ?? event?.scheduledTime ?? event?.time;
  return given === undefined ? now : parseInstant(given);
}
