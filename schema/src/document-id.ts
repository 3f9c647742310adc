// The one check of an id that names a Firestore document, without zod: every builder in paths.ts
// runs `documentIdProblem` on every segment, and ids.ts wraps it as `firestoreIdSchema` for the
// callables' inputs, so "a/b" or ".." can never point a request at another document or collection.
import { LIMITS } from './limits.js';

// Firestore reserves ids of the form __name__.
const RESERVED = /^__.*__$/s;
// C0 controls, DEL and C1 controls: Firestore would store them, but ids are logged and put in URLs.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A high surrogate not followed by a low one, or a low one not preceded by a high one: not UTF-8.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `value` cannot be a document id (a path segment), or undefined when it can. Firestore's own
 * rules (no "/", not "." or "..", not "__x__", valid UTF-8, at most 1,500 bytes) plus ours: at most
 * LIMITS.documentIdLength characters (128 UTF-16 units are at most 512 UTF-8 bytes) and no control
 * characters.
 */
export function documentIdProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length === 0) return 'must not be empty';
  if (value.length > LIMITS.documentIdLength) return `must be at most ${LIMITS.documentIdLength} characters`;
  if (value.includes('/')) return 'must not contain "/"';
  if (value === '.' || value === '..') return `must not be "${value}"`;
  if (RESERVED.test(value)) return 'must not look like "__name__" (reserved by Firestore)';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode';
  return undefined;
}
