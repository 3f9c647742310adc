// The one check of an id that names a Firestore document: every callable's input schema uses
// `firestoreIdSchema` for its ids, and every builder in paths.ts runs `documentIdProblem` on every
// segment, so "a/b" or ".." can never point a request at another document or collection.
import { z } from 'zod';
import { documentIdProblem } from './document-id.js';

export { documentIdProblem };

/** An id a callable takes (`workspaceId`, `agentId`, ...): a string that is a document id. */
export const firestoreIdSchema = z.string().superRefine((value, ctx) => {
  const problem = documentIdProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: `must be a document id: ${problem}` });
});
