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

  /** Epoch ms of an ISO 8601 date-time, or undefined (with a problem). */
  date(flag: string, text: string | undefined): number | undefined {
    if (text === undefined) return undefined;
    const value = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim()) ? Date.parse(text) : NaN;
    if (!Number.isFinite(value)) {
      this.add(`${flag}: "${text}" is not an ISO 8601 date (e.g. 2026-01-01T00:00:00Z)`);
      return undefined;
    }
    return value;
  }
}
