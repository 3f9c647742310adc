// Silence in the emulator tests: an agent is made "silent" by dating its last report in the past,
// as ingest would have written it then: lastSeenAt and the silence deadline (offlineAt) that came
// with it, so the offline detector's `offlineAt <= now` query finds it. An agent that holds no
// deadline (null: revoked, never seen) keeps none, as no report would have set one.
import { Timestamp, type DocumentReference } from 'firebase-admin/firestore';
import { silenceDeadlineMs } from '../../functions/src/alerts/silence.js';

/** Dates the agent's last report `msAgo` before now; returns that time in ms. */
export async function lastSeenAgo(agent: DocumentReference, msAgo: number): Promise<number> {
  const seen = Date.now() - msAgo;
  const current = await agent.get();
  const deadline =
    current.get('offlineAt') === null
      ? null
      : Timestamp.fromMillis(
          silenceDeadlineMs(seen, {
            intervalSeconds: current.get('intervalSeconds'),
            announcedIntervalSeconds: current.get('announcedIntervalSeconds'),
          }),
        );
  await agent.update({ lastSeenAt: Timestamp.fromMillis(seen), offlineAt: deadline });
  return seen;
}
