import avro from "avsc";

/**
 * Avro's `decimal` logical type on bytes, scale 2, for amounts in whole cents:
 * the unscaled value (cents) as big-endian two's complement, shortest form.
 * Reads and writes the amount as a number of currency units (24.99).
 */
export class AvroDecimal extends avro.types.LogicalType {
  protected override _fromValue(value: unknown): number {
    const bytes = value as Buffer;
    let cents = 0n;
    for (const byte of bytes) cents = (cents << 8n) | BigInt(byte);
    if (bytes.length > 0 && ((bytes[0] as number) & 0x80) !== 0) cents -= 1n << BigInt(bytes.length * 8);
    return Number(cents) / 100;
  }

  protected override _toValue(value: unknown): Buffer | undefined {
    // Only a number is an amount (avsc tells a union's branches apart by this).
    if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
    let cents = BigInt(Math.round((value as number) * 100));
    const bytes: number[] = [];
    // Shortest two's complement: stop once the rest is all sign and the top bit says the same sign.
    for (;;) {
      bytes.unshift(Number(cents & 0xffn));
      const rest = cents >> 8n;
      const top = ((bytes[0] as number) & 0x80) !== 0;
      if ((rest === 0n && !top) || (rest === -1n && top)) break;
      cents = rest;
    }
    return Buffer.from(bytes);
  }

  protected override _resolve(type: avro.Type): ((value: unknown) => unknown) | undefined {
    return avro.Type.isType(type, "logical:decimal") ? (value) => value : undefined;
  }
}

/** avsc's options that read and write `decimal` as amounts (fresh each time: avsc keeps the names it parsed in them). */
export const avroOptions = (): { logicalTypes: Record<string, typeof AvroDecimal> } => ({
  logicalTypes: { decimal: AvroDecimal },
});
