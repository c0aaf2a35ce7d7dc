import { isoTime, isoTimeProblem } from "../model/isoTime.js";
import { spanMs } from "../model/span.js";

export { spanMs };

/** The accepted values of a number: from `min` (or above it) to `max`, whole numbers if `integer`. */
export interface Range {
  min: number;
  max: number;
  above?: boolean;
  integer?: boolean;
}

/** A range as help and messages say it: `> 0 and ≤ 1000000`, `from 1 to 64, a whole number`. */
export function rangeText({ min, max, above = false, integer = false }: Range): string {
  const upper = Number.isFinite(max) ? max : undefined;
  const bounds = above
    ? `> ${min}${upper === undefined ? "" : ` and ≤ ${upper}`}`
    : upper === undefined
      ? `≥ ${min}`
      : `from ${min} to ${upper}`;
  return `${bounds}${integer ? ", a whole number" : ""}`;
}

/** Collects problems while reading numbers out of option text. */
export class Problems {
  readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  /** A finite number within its range, or undefined (with a problem naming the range) when the text isn't one. */
  number(flag: string, text: string | undefined, range: Partial<Range> = {}): number | undefined {
    if (text === undefined) return undefined;
    const { min = -Infinity, max = Infinity, integer = false, above = false } = range;
    const value = text.trim() === "" ? NaN : Number(text);
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      this.add(`${flag}: expected ${integer ? "a whole number" : "a number"}, got "${text}"`);
      return undefined;
    }
    if ((above ? value <= min : value < min) || value > max) {
      this.add(`${flag}: must be ${rangeText({ min, max, above, integer })}, got ${text}`);
      return undefined;
    }
    return value;
  }

  /**
   * Minutes of a span: a number of minutes, or a number with a unit (`90s`, `10m`, `2h`, `1d`), up to
   * `max` minutes; undefined (with a problem) otherwise. The one reading of every duration flag.
   */
  minutes(flag: string, text: string | undefined, { above = false, max = Infinity } = {}): number | undefined {
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    const ms = spanMs(trimmed.replace(/^-/, ""));
    if (ms === undefined && !/^-?\d+(\.\d+)?$/.test(trimmed)) {
      this.add(`${flag}: expected minutes, or a span with a unit (90s, 10m, 2h, 1d), got "${text}"`);
      return undefined;
    }
    const value = ms === undefined ? Number(trimmed) : (trimmed.startsWith("-") ? -ms : ms) / 60_000;
    if ((above ? value <= 0 : value < 0) || value > max) {
      this.add(`${flag}: must be ${rangeText({ min: 0, max, above })} minutes, got ${text}`);
      return undefined;
    }
    return value;
  }

  /** Epoch ms of an ISO 8601 date-time, or undefined (with a problem); without an offset, UTC. */
  date(flag: string, text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const problem = isoTimeProblem(text);
    if (problem !== undefined) {
      this.add(`${flag}: "${text}" ${problem}`);
      return undefined;
    }
    return isoTime(text);
  }
}
