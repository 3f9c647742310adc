import { summarizeIssues } from '@vigil/schema';
import { HttpsError } from 'firebase-functions/v2/https';
import type { z } from 'zod';

/** Parses callable input; bad input is `invalid-argument` naming each offending path. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issues = summarizeIssues(result.error);
  const first = issues[0];
  const where = first?.path ? `${first.path}: ` : '';
  throw new HttpsError('invalid-argument', `Invalid request. ${where}${first?.message ?? ''}`.trim(), { issues });
}
