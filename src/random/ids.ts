import type { Rng } from "./rng.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function byte(rng: Rng): string {
  return HEX[Math.floor(rng.next() * 256)] as string;
}

/** An RFC 4122 version-4 UUID drawn from `rng`, so replays repeat it. */
export function uuidFrom(rng: Rng): string {
  let out = "";
  for (let i = 0; i < 16; i += 1) {
    let b: string;
    if (i === 6) b = "4" + byte(rng).charAt(1);
    else if (i === 8) b = "89ab".charAt(Math.floor(rng.next() * 4)) + byte(rng).charAt(1);
    else b = byte(rng);
    out += b;
    if (i === 3 || i === 5 || i === 7 || i === 9) out += "-";
  }
  return out;
}

const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** `length` upper-case letters and digits drawn from `rng`. */
export function codeFrom(rng: Rng, length: number): string {
  let out = "";
  for (let i = 0; i < length; i += 1) out += ALPHANUMERIC.charAt(Math.floor(rng.next() * ALPHANUMERIC.length));
  return out;
}
