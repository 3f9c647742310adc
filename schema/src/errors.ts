import type { z } from 'zod';

export interface IssueSummary {
  /** Dotted path into the input, like `solutions.0.tests.2.type`; empty for the root. */
  path: string;
  message: string;
}

/** Turns zod issues into short, readable `{path, message}` pairs, at most `max` of them. */
export function summarizeIssues(error: z.ZodError, max = 20): IssueSummary[] {
  return error.issues.slice(0, max).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** One line a person can read: `solutions.0.id: must be lower-case …; host: Required`. */
export function describeIssues(error: z.ZodError, max = 5): string {
  const summaries = summarizeIssues(error, max);
  const more = error.issues.length > max ? ` (and ${error.issues.length - max} more)` : '';
  return summaries.map(({ path, message }) => (path ? `${path}: ${message}` : message)).join('; ') + more;
}
