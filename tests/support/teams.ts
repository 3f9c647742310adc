// Shared by the teams int tests: a workspace with an owner and members of each role, invitations
// sent through the real callables, and the link read back from the mail sink.
import { DEFAULT_NOTIFICATION_PREFERENCES, paths, type Role } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { vi } from 'vitest';
import { ownerWithWorkspace } from './agents.js';
import { adminDb, newSignedInClient, type SignedInClient } from './emulators.js';
import { bodyOf, messagesTo } from './mail-sink.js';
import { triggerPoll } from './report-path.js';

/** Waits on a trigger's work (the users/{uid} mirror, invitations): as long as any trigger wait. */
export const poll = triggerPoll;

export interface Team {
  workspaceId: string;
  owner: SignedInClient;
  clients: SignedInClient[];
  /** A fresh user added as a member with `role` (written as acceptInvitation would). */
  add(role: Role, prefix?: string): Promise<SignedInClient>;
}

export async function newTeam(): Promise<Team> {
  const { owner, workspaceId } = await ownerWithWorkspace('team-owner');
  const clients = [owner];
  return {
    workspaceId,
    owner,
    clients,
    async add(role, prefix = role) {
      const client = await newSignedInClient(prefix);
      clients.push(client);
      await adminDb()
        .doc(paths.member(workspaceId, client.user.uid))
        .set({ role, email: client.user.email, joinedAt: Timestamp.now(), notifications: { ...DEFAULT_NOTIFICATION_PREFERENCES } });
      return client;
    },
  };
}

/** The functions error code of a failed call ('functions/permission-denied'), and its message. */
export async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    // The web SDK appends the HTTP status (" [403]") to the server's message.
    return { code, message: message.replace(/ \[\d+\]$/, '') };
  }
  throw new Error('expected the call to fail');
}

/** The invitation links mailed to `email`, oldest first: their invitation id and token. */
export async function mailedLinks(email: string): Promise<Array<{ invitationId: string; token: string; text: string }>> {
  const messages = await messagesTo(email);
  return messages.map((message) => {
    const text = bodyOf(message, 'text/plain');
    const match = /\/invitation\/\?workspace=[^&\s]+&invitation=([A-Za-z0-9]+)#token=([A-Za-z0-9_-]{43})/.exec(text);
    if (!match) throw new Error(`no invitation link in: ${text}`);
    return { invitationId: match[1]!, token: match[2]!, text };
  });
}

/** The newest link mailed to `email` (waits for it: the sink is reached after the commit). */
export async function latestLink(email: string, count = 1) {
  let links: Awaited<ReturnType<typeof mailedLinks>> = [];
  await vi.waitFor(async () => {
    links = await mailedLinks(email);
    if (links.length < count) throw new Error(`${links.length} of ${count} emails so far`);
  }, poll);
  return links[links.length - 1]!;
}

/** The workspace's audit entries, oldest first. */
export async function auditEntries(workspaceId: string) {
  const entries = await adminDb().collection(paths.audit(workspaceId)).orderBy('at').get();
  return entries.docs.map((entry) => entry.data());
}
