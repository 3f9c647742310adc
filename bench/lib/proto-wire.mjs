// Just enough of the protobuf wire format to count Firestore operations from raw messages, without
// decoding the documents in them (a report is 15-30 KB; the proxy forwards the bytes untouched and
// only looks at tags and lengths). Pure.

/** Reads a varint at `offset`: [value, next offset]. Values above 2^53 lose precision (counts never are). */
function varint(buffer, offset) {
  let value = 0;
  let scale = 1;
  let at = offset;
  for (;;) {
    if (at >= buffer.length) throw new Error('truncated varint');
    const byte = buffer[at++];
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, at];
    scale *= 128;
  }
}

/**
 * The top-level fields of one message, in order: { field, wire, value } where value is a number for
 * varints and fixed-size fields and a Buffer (a view, not a copy) for length-delimited ones.
 */
export function fields(buffer) {
  const out = [];
  let at = 0;
  while (at < buffer.length) {
    const [tag, afterTag] = varint(buffer, at);
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    at = afterTag;
    if (wire === 0) {
      const [value, next] = varint(buffer, at);
      out.push({ field, wire, value });
      at = next;
    } else if (wire === 2) {
      const [length, next] = varint(buffer, at);
      out.push({ field, wire, value: buffer.subarray(next, next + length) });
      at = next + length;
    } else if (wire === 1) {
      out.push({ field, wire, value: buffer.readDoubleLE(at) });
      at += 8;
    } else if (wire === 5) {
      out.push({ field, wire, value: buffer.readFloatLE(at) });
      at += 4;
    } else {
      throw new Error(`unsupported wire type ${wire}`);
    }
  }
  return out;
}

/** The values of one field number (repeated fields give several). */
export const field = (buffer, number) => fields(buffer).filter((entry) => entry.field === number);
export const has = (buffer, number) => fields(buffer).some((entry) => entry.field === number);
export const text = (value) => (Buffer.isBuffer(value) ? value.toString('utf8') : '');

// ---- Writers, for tests and the proxy's self-check: the inverse of the readers above. ----

function encodeVarint(value) {
  const bytes = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 128) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** One field: a number as a varint, a string or Buffer length-delimited. */
export function encodeField(number, value) {
  if (typeof value === 'number') return Buffer.concat([encodeVarint(number * 8), encodeVarint(value)]);
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
  return Buffer.concat([encodeVarint(number * 8 + 2), encodeVarint(bytes.length), bytes]);
}
