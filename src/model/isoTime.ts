// One reading of ISO 8601 times for every input the tool takes (flags, scenario files, faults):
// a date must be on the calendar, and a time within what Kafka timestamps and the formats hold.

/** The earliest time accepted: Kafka record timestamps are epoch ms, and negative ones mean "none". */
export const EARLIEST = Date.UTC(1970, 0, 1);
/** The latest time accepted: four-digit years are all every format writes. */
export const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The accepted range, as messages say it. */
export const TIME_RANGE = "1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z";

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** What is wrong with an ISO 8601 date or date-time, or undefined when it is a real time within the range. */
export function isoTimeProblem(text: string): string | undefined {
  const match = SHAPE.exec(text.trim());
  if (match === null) return "is not an ISO 8601 date (e.g. 2026-01-01T00:00:00Z)";
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? 0 : Number(part)));
  const offset = match[7];
  const offsetOk =
    offset === undefined || offset === "Z" || (Number(offset.slice(1, 3)) <= 23 && Number(offset.slice(-2)) <= 59);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysIn(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    !offsetOk
  ) {
    return "is not a time on the calendar";
  }
  const ms = parse(text);
  if (ms < EARLIEST || ms > LATEST) return `is outside ${TIME_RANGE}`;
  return undefined;
}

function parse(text: string): number {
  const trimmed = text.trim();
  const match = SHAPE.exec(trimmed) as RegExpExecArray;
  // Without an offset it is UTC, a date alone included (`2026-01-01T09:00` is 09:00Z).
  return Date.parse(match[4] !== undefined && match[7] === undefined ? `${trimmed}Z` : trimmed);
}

/** Epoch ms of an ISO 8601 date or date-time; NaN when it is not one, not on the calendar, or out of range. */
export function isoTime(text: string): number {
  return isoTimeProblem(text) === undefined ? parse(text) : Number.NaN;
}
