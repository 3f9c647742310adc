// What the emulator tests of the report path share: agents enrolled for a file and signed out
// after it, the patience triggers need, and the two waits every such test makes.
import { paths } from '@vigil/schema';
import { afterAll, expect, vi } from 'vitest';
import { enrollAgent, type EnrolledAgent } from './agents.js';
import { adminDb } from './emulators.js';

/** Triggers run behind a queue in the emulator that earlier files may have filled: allow time. */
export const triggerPoll = { timeout: 120_000, interval: 250 };

/** An `agent(name)` that enrolls an agent in a workspace of its own; all are signed out after the file. */
export function agentsForThisFile(): (name: string) => Promise<EnrolledAgent> {
  const enrolled: EnrolledAgent[] = [];
  afterAll(() => Promise.all(enrolled.map((agent) => agent.owner.close())));
  return async (name) => {
    const created = await enrollAgent(name);
    enrolled.push(created);
    return created;
  };
}

/** Waits until the agent's state/current comes from `reportId`. */
export async function waitForState(target: EnrolledAgent, reportId: string): Promise<void> {
  await vi.waitFor(async () => {
    const state = await adminDb().doc(paths.agentState(target.workspaceId, target.agentId)).get();
    expect(state.get('reportId')).toBe(reportId);
  }, triggerPoll);
}

/** The agent's events, as stored. */
export async function eventsOf(target: EnrolledAgent) {
  const snapshot = await adminDb().collection(paths.events(target.workspaceId)).where('agentId', '==', target.agentId).get();
  return snapshot.docs;
}
