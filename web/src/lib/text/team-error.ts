// What a failed membership callable says to the user. The teams callables refuse with HttpsErrors
// whose messages are written for the user (functions/src/teams/: "already a member", "the last
// owner", the daily invitation quota, a saved invitation whose email failed), so those are shown as
// they are, without the " [400]" the Functions SDK appends, even for codes (unavailable, not-found)
// that describeError words generically; the quota's refusal also says when sending works again.
// Everything else (no connection, a function missing) gets describeError's sentence.
import { describeError } from './error-message';

const SDK_STATUS_SUFFIX = / \[\d{3}\]$/;

function hoursText(seconds: number): string {
  if (seconds < 3600) {
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  }
  const hours = Math.ceil(seconds / 3600);
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}

/** The server's own sentence of a callable's error, or null when it sent none (the SDK's default text). */
function serverMessage(error: { code: string; message: string }): string | null {
  const message = error.message.replace(SDK_STATUS_SUFFIX, '');
  const code = error.code.replace(/^functions\//, '');
  // Without a message in the reply the SDK uses the code, or "Backend error status: …".
  if (message === '' || message === code || message.startsWith('Backend error status')) return null;
  return message;
}

export function describeTeamError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return describeError(error);
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || !code.startsWith('functions/') || typeof message !== 'string') return describeError(error);
  // A function the emulator or the project lacks is a deployment fault, not a refusal.
  if (code === 'functions/internal' || code === 'functions/unauthenticated') return describeError(error);
  const text = serverMessage({ code, message });
  if (text === null) return describeError(error);
  const retryAfter = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  if (code === 'functions/resource-exhausted' && typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter > 0) {
    return `${text} You can send again in about ${hoursText(retryAfter)}.`;
  }
  return text;
}

/** Runs a membership callable, turning its refusal into an Error whose message is describeTeamError's. */
export async function withTeamErrors<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw new Error(describeTeamError(error), { cause: error });
  }
}
