// What the accept page says when acceptInvitation refuses (functions/src/teams/invitation-state.ts
// writes each refusal as a sentence for the invitee, shown as is), and what the page does next: a
// refusal that no retry can change forgets the token kept for this tab.
import { describeTeamError } from '../../lib/text/team-error';

export interface AcceptRefusal {
  message: string;
  /** Accepting again can never succeed: forget the token. */
  final: boolean;
  /** The invitee is a member already: offer the workspace. */
  alreadyMember: boolean;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

const ALREADY_MEMBER = 'You are already a member of this workspace.';

export function acceptRefusal(error: unknown): AcceptRefusal {
  switch (codeOf(error)) {
    case 'functions/not-found':
    case 'functions/failed-precondition': {
      // not-found is the invitation's (describeTeamError keeps the server's sentence, not "a function is missing").
      const message = describeTeamError(error);
      return { message, final: true, alreadyMember: message === ALREADY_MEMBER };
    }
    case 'functions/invalid-argument':
      return {
        message: 'This invitation link is incomplete. Open the whole link from the invitation email again.',
        final: true,
        alreadyMember: false,
      };
    default:
      // permission-denied (another address, an unverified one, a replaced link) and transient failures:
      // the invitee can act on the sentence and try again.
      return { message: describeTeamError(error), final: false, alreadyMember: false };
  }
}
