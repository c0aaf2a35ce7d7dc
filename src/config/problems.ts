const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `10s`, `5m`, `2h`, `1d` in ms; undefined when not such a span. */
export function spanMs(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  return match === null ? undefined : Number(match[1]) * (UNITS[match[2] as string] as number);
}

/**
 * Epoch ms of an ISO 8601 date or date-time (NaN when it is not one). One rule for every time
 * the tool reads: without an offset it is UTC, a date alone included (`2026-01-01T09:00` is 09:00Z).
 */
export function utcTime(text: string): number {
  const trimmed = text.trim();
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(trimmed);
  if (match === null) return Number.NaN;
  return Date.parse(match[1] !== undefined && match[4] === undefined ? `${trimmed}Z` : trimmed);
}

/** Collects problems while reading numbers out of option text. */
export class Problems {
  readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  /** A finite number within [min, max], or undefined (with a problem) when the text isn't one. */
  number(flag: string, text: string | undefined, { min = -Infinity, max = Infinity, integer = false, above = false } = {}): number | undefined {
    if (text === undefined) return undefined;
    const value = text.trim() === "" ? NaN : Number(text);
    const kind = integer ? "a whole number" : "a number";
    const bound = above ? `> ${min}` : `≥ ${min}`;
    if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
      this.add(`${flag}: expected ${kind}, got "${text}"`);
      return undefined;
    }
    if (above ? value <= min : value < min) {
      this.add(`${flag}: must be ${bound}, got ${text}`);
      return undefined;
    }
    if (value > max) {
      this.add(`${flag}: must be ≤ ${max}, got ${text}`);
      return undefined;
    }
    return value;
  }

  /** Minutes of a span: a number of minutes, or a number with a unit (`90s`, `10m`, `2h`, `1d`); undefined (with a problem) otherwise. */
  minutes(flag: string, text: string | undefined, { above = false } = {}): number | undefined {
    if (text === undefined) return undefined;
    const ms = /^\s*[\d.]+\s*$/.test(text) ? undefined : spanMs(text);
    if (ms !== undefined) {
      if (above && ms <= 0) {
        this.add(`${flag}: must be > 0, got ${text}`);
        return undefined;
      }
      return ms / 60_000;
    }
    if (!/^\s*-?[\d.]+\s*$/.test(text)) {
      this.add(`${flag}: expected minutes, or a span with a unit (90s, 10m, 2h, 1d), got "${text}"`);
      return undefined;
    }
    return this.number(flag, text, { min: 0, above });
  }

  /** Epoch ms of an ISO 8601 date-time, or undefined (with a problem); without an offset, UTC. */
  date(flag: string, text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const value = utcTime(text);
    if (!Number.isFinite(value)) {
      this.add(`${flag}: "${text}" is not an ISO 8601 date (e.g. 2026-01-01T00:00:00Z)`);
      return undefined;
    }
    return value;
  }
}
