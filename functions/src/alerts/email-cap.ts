// The hourly cap on a workspace's event emails: MAX_EMAILS_PER_HOUR, or the workspace's own
// `maxEmailsPerHour` (set by the operator with the Admin SDK, like `maxAgents`). Pure: the caller
// reads the parameter and the workspace document.
import { workspaceSchema } from '@vigil/schema';

const overrideSchema = workspaceSchema.shape.maxEmailsPerHour;

export interface EmailHourLimit {
  limit: number;
  /** A `maxEmailsPerHour` the workspace holds but that is not a whole number of 0 or more: ignored. */
  ignoredOverride?: unknown;
}

/** The cap in force for one workspace, from the deploy parameter and the workspace's override. */
export function emailHourLimit(parameter: number, override: unknown): EmailHourLimit {
  if (override === undefined) return { limit: parameter };
  const parsed = overrideSchema.safeParse(override);
  if (parsed.success && parsed.data !== undefined) return { limit: parsed.data };
  return { limit: parameter, ignoredOverride: override };
}
