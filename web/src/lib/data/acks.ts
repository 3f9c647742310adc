// "Mark as checked" on failing tests: acks/{solutionId}~{testId} under the agent (paths.testAck).
import { collection, deleteDoc, doc, getDocs, query, serverTimestamp, setDoc, where, type Firestore } from 'firebase/firestore';
import { acksByTestId, testAckFromDoc, type TestAckView } from '../model/member';
import { paths } from '@vigil/schema/constants';
import { countQueryRead } from './read-counter';

/** The acknowledgements of one solution's tests, by test id. */
export async function fetchTestAcks(db: Firestore, workspaceId: string, agentId: string, solutionId: string): Promise<Record<string, TestAckView>> {
  const snapshot = await getDocs(query(collection(db, paths.testAcks(workspaceId, agentId)), where('solutionId', '==', solutionId)));
  countQueryRead(snapshot.size);
  return acksByTestId(snapshot.docs.map((ack) => testAckFromDoc(ack.data())));
}

export interface MarkCheckedInput {
  workspaceId: string;
  agentId: string;
  solutionId: string;
  testId: string;
  /** testAlerts[testId].since: the failure streak being acknowledged. */
  failingSince: string;
  uid: string;
}

export async function markTestChecked(db: Firestore, input: MarkCheckedInput): Promise<void> {
  await setDoc(doc(db, paths.testAck(input.workspaceId, input.agentId, input.solutionId, input.testId)), {
    solutionId: input.solutionId,
    testId: input.testId,
    acknowledgedBy: input.uid,
    acknowledgedAt: serverTimestamp(),
    failingSince: input.failingSince,
  });
}

export async function unmarkTestChecked(
  db: Firestore,
  input: Pick<MarkCheckedInput, 'workspaceId' | 'agentId' | 'solutionId' | 'testId'>,
): Promise<void> {
  await deleteDoc(doc(db, paths.testAck(input.workspaceId, input.agentId, input.solutionId, input.testId)));
}
