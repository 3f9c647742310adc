import { z } from 'zod';
import { LIMITS } from './limits.js';
import { ROLES } from './constants/roles.js';

/** Lower-case identifier used for solutions, tests and other catalog entries: `clamav`, `eicar-detected`. */
export const slugSchema = z
  .string()
  .max(LIMITS.idLength)
  .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"');

/** An id that is safe as a Firestore document id: no "/", no "." or "__" tricks. */
export const documentIdSchema = z
  .string()
  .min(8)
  .max(LIMITS.idLength)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be 8 to 64 letters, digits, "_" or "-"');

/** Map key for configuration and metrics. Firestore reserves `__x__` names, so keys start with a letter or digit. */
export const fieldKeySchema = z
  .string()
  .max(LIMITS.keyLength)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$/, 'must start with a letter or digit and use letters, digits, "_.:/@-"');

export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/** Any SDK's Timestamp (web, admin): schema/ imports no Firebase SDK, so it checks the shape. */
export interface TimestampLike {
  toMillis(): number;
}
export const timestampSchema = z.custom<TimestampLike>(
  (value) => typeof (value as TimestampLike | null)?.toMillis === 'function',
  'must be a Firestore Timestamp',
);

export const roleSchema = z.enum(ROLES);
