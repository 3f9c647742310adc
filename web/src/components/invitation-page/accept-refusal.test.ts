import { describe, expect, it } from 'vitest';
import { acceptRefusal } from './accept-refusal';

const refusal = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('acceptRefusal', () => {
  it("shows the server's sentence for each refusal, and forgets the token only when no retry can work", () => {
    expect(acceptRefusal(refusal('functions/failed-precondition', 'This invitation expired. Ask for a new one.'))).toEqual({
      message: 'This invitation expired. Ask for a new one.',
      final: true,
      alreadyMember: false,
    });
    // The Functions SDK appends the HTTP status; the sentence is shown without it.
    expect(acceptRefusal(refusal('functions/failed-precondition', 'You are already a member of this workspace. [400]'))).toEqual({
      message: 'You are already a member of this workspace.',
      final: true,
      alreadyMember: true,
    });
    const otherAddress = 'This invitation is for another email address. Sign in with the address it was sent to.';
    expect(acceptRefusal(refusal('functions/permission-denied', otherAddress))).toEqual({
      message: otherAddress,
      final: false,
      alreadyMember: false,
    });
  });

  it('says the invitation is missing, not a function, on not-found', () => {
    expect(acceptRefusal(refusal('functions/not-found', 'This invitation does not exist. [404]'))).toEqual({
      message: 'This invitation does not exist.',
      final: true,
      alreadyMember: false,
    });
  });

  it('an unreachable backend (no sentence from the server) may be retried', () => {
    expect(acceptRefusal(refusal('functions/unavailable', 'unavailable'))).toMatchObject({
      final: false,
      message: expect.stringContaining('unreachable') as string,
    });
  });
});
