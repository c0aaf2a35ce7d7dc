import type { Rng } from "./rng.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
/** The two hex digits' character codes of each byte, `[2b]` and `[2b + 1]`. */
const HEX_CODES = Uint8Array.from(HEX.join(""), (c) => c.charCodeAt(0));
const VARIANT = "89ab";
/** A UUID's 36 character codes, dashes in place: filled for each id, then made one flat string at once. */
const UUID_CODES: number[] = Array.from("00000000-0000-0000-0000-000000000000", (c) => c.charCodeAt(0));

const byteOf = (rng: Rng): number => Math.floor(rng.next() * 256);

/** An RFC 4122 version-4 UUID drawn from `rng`, so replays repeat it. */
export function uuidFrom(rng: Rng): string {
  const codes = UUID_CODES;
  for (let i = 0, at = 0; i < 16; i += 1) {
    if (i === 6) {
      codes[at] = 52; // "4"
      codes[at + 1] = HEX_CODES[2 * byteOf(rng) + 1] as number;
    } else if (i === 8) {
      codes[at] = VARIANT.charCodeAt(Math.floor(rng.next() * 4));
      codes[at + 1] = HEX_CODES[2 * byteOf(rng) + 1] as number;
    } else {
      const b = byteOf(rng);
      codes[at] = HEX_CODES[2 * b] as number;
      codes[at + 1] = HEX_CODES[2 * b + 1] as number;
    }
    at += i === 3 || i === 5 || i === 7 || i === 9 ? 3 : 2;
  }
  return String.fromCharCode.apply(null, codes);
}

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** `length` upper-case letters and digits drawn from `rng`. */
export function codeFrom(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += ALPHANUMERIC.charAt(Math.floor(rng.next() * ALPHANUMERIC.length));
  return out;
}
