import { FunctionsError } from 'firebase/functions';
import { describe, expect, it } from 'vitest';
import { describeError } from './error-message';
import { describeTeamError, withTeamErrors } from './team-error';

// Errors as the Functions SDK builds them from an HttpsError reply (message + " [status]", details).
const refusal = (code: ConstructorParameters<typeof FunctionsError>[0], message: string, details?: unknown) =>
  new FunctionsError(code, message, details);

describe('describeTeamError', () => {
  it('shows the server’s sentence without the SDK’s status suffix', () => {
    expect(describeTeamError(refusal('failed-precondition', 'This address is already a member of this workspace. [400]'))).toBe(
      'This address is already a member of this workspace.',
    );
    expect(describeTeamError(refusal('invalid-argument', 'email: must be an email address [400]'))).toBe('email: must be an email address');
  });

  it('says when the daily invitation quota allows sending again', () => {
    const message = describeTeamError(
      refusal('resource-exhausted', 'This workspace has sent its 20 invitation emails for today. Try again tomorrow (UTC). [429]', {
        retryAfterSeconds: 6 * 3600 - 30,
      }),
    );
    expect(message).toBe(
      'This workspace has sent its 20 invitation emails for today. Try again tomorrow (UTC). You can send again in about 6 hours.',
    );
    expect(describeTeamError(refusal('resource-exhausted', 'Spent. [429]', { retryAfterSeconds: 90 }))).toBe(
      'Spent. You can send again in about 2 minutes.',
    );
  });

  it('keeps a refusal’s own words where describeError would word the code generically', () => {
    const failedSend = refusal('unavailable', 'The invitation is saved, but its email could not be sent. Try resending it in a minute. [503]');
    expect(describeError(failedSend)).toMatch(/unreachable/);
    expect(describeTeamError(failedSend)).toBe('The invitation is saved, but its email could not be sent. Try resending it in a minute.');
    expect(describeTeamError(refusal('not-found', 'That person is not a member of this workspace. [404]'))).toBe(
      'That person is not a member of this workspace.',
    );
  });

  it('falls back to describeError when the server said nothing of its own', () => {
    const missing = refusal('not-found', 'not-found [404]');
    expect(describeTeamError(missing)).toBe(describeError(missing));
    const internal = refusal('internal', 'internal [500]');
    expect(describeTeamError(internal)).toBe(describeError(internal));
    expect(describeTeamError(new Error('plain'))).toBe('plain');
    expect(describeTeamError(null)).toBe(describeError(null));
  });

  it('withTeamErrors rethrows with the sentence, and passes a success through', async () => {
    await expect(withTeamErrors(Promise.reject(refusal('permission-denied', 'Only an owner can invite an owner. [403]')))).rejects.toThrow(
      /^Only an owner can invite an owner\.$/,
    );
    await expect(withTeamErrors(Promise.resolve(3))).resolves.toBe(3);
  });
});
