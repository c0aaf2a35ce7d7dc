/**
 * The Confluent wire format of a registry-framed value: a zero byte, the
 * schema id as a 4-byte big-endian integer, for Protobuf the index path of the
 * message in its file (as zig-zag varints: a count, then each index; the first
 * message is written as a single 0), then the payload.
 */
export function frame(schemaId: number, payload: Uint8Array, messageIndexes?: readonly number[]): Buffer {
  const indexes = messageIndexes === undefined ? [] : messageIndexBytes(messageIndexes);
  const out = Buffer.allocUnsafe(5 + indexes.length + payload.length);
  out[0] = 0;
  out.writeUInt32BE(schemaId, 1);
  for (let i = 0; i < indexes.length; i += 1) out[5 + i] = indexes[i] as number;
  out.set(payload, 5 + indexes.length);
  return out;
}

/** A zig-zag varint, as Confluent writes message indexes. */
function zigzagVarint(value: number): number[] {
  let n = (value << 1) ^ (value >> 31);
  const bytes: number[] = [];
  while (n > 0x7f) {
    bytes.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  bytes.push(n);
  return bytes;
}

/** The message-index bytes of a Protobuf value: `[0]` for the first message, else the count and each index. */
export function messageIndexBytes(indexes: readonly number[]): number[] {
  if (indexes.length === 1 && indexes[0] === 0) return [0];
  return [...zigzagVarint(indexes.length), ...indexes.flatMap(zigzagVarint)];
}

/** Reads a framed value back: schema id, message indexes (when `protobuf`), payload. */
export function unframe(value: Buffer, protobuf = false): { schemaId: number; indexes: number[]; payload: Buffer } {
  if (value[0] !== 0 || value.length < 5) throw new RangeError("not a registry-framed value (no magic byte 0)");
  const schemaId = value.readUInt32BE(1);
  let at = 5;
  const readZigzag = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      const byte = value[at++] as number;
      n |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7;
    }
    return (n >>> 1) ^ -(n & 1);
  };
  const indexes: number[] = [];
  if (protobuf) {
    const count = readZigzag();
    if (count === 0) indexes.push(0);
    else for (let i = 0; i < count; i += 1) indexes.push(readZigzag());
  }
  return { schemaId, indexes, payload: value.subarray(at) };
}
