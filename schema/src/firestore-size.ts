// How many bytes Firestore counts for a document, by its published rules
// (https://firebase.google.com/docs/firestore/storage-size), so a writer can keep a document under
// Firestore's 1 MiB limit before the write is refused. Pure; knows no SDK: any object that is not a
// plain object or an array (a Timestamp, a Date, a serverTimestamp() sentinel) counts as a timestamp.

/** Firestore refuses a document larger than this (1 MiB). */
export const FIRESTORE_DOCUMENT_MAX_BYTES = 1_048_576;

const TIMESTAMP_BYTES = 8;
const NUMBER_BYTES = 8;

/** UTF-8 length without encoding (schema/ also runs in the browser, where there is no Buffer). */
function utf8Length(value: string): number {
  let bytes = 0;
  for (let index = 0; index < value.length; index += 1) {
    const code = value.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && (value.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair: one code point of 4 bytes
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

function stringBytes(value: string): number {
  return utf8Length(value) + 1;
}

/** Bytes of one field value: strings are their UTF-8 length + 1, numbers and timestamps 8, booleans and null 1, arrays and maps the sum of their parts. */
export function firestoreValueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'number') return NUMBER_BYTES;
  if (typeof value === 'string') return stringBytes(value);
  if (value === undefined) return 0; // never stored
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + firestoreValueBytes(item), 0);
  if (typeof value === 'object') {
    // A Timestamp, a Date, or a write sentinel such as serverTimestamp() (stored as a timestamp):
    // anything but a plain object. The documents we size hold no GeoPoint or reference.
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return TIMESTAMP_BYTES;
    let sum = 0;
    for (const [key, item] of Object.entries(value)) if (item !== undefined) sum += stringBytes(key) + firestoreValueBytes(item);
    return sum;
  }
  throw new TypeError(`not a Firestore value: ${typeof value}`);
}

/** Bytes of a document name: each segment of its path (UTF-8 + 1), plus 16. */
export function firestoreNameBytes(path: string): number {
  return path.split('/').reduce((sum, segment) => sum + stringBytes(segment), 0) + 16;
}

/** Bytes Firestore counts for the document at `path` holding `data`: its name, its fields, plus 32. */
export function firestoreDocumentBytes(path: string, data: Record<string, unknown>): number {
  return firestoreNameBytes(path) + firestoreValueBytes(data) + 32;
}
