// Agents: the list, one agent and its state (which carries its recent history), all live.
import { collection, doc, onSnapshot, type Firestore, type Unsubscribe } from 'firebase/firestore';
import { agentFromDoc, type AgentView } from '../model/agent';
import { stateFromDoc, type AgentStateView } from '../model/agent-state';
import { paths } from '@vigil/schema/constants';
import { markOnce } from '../telemetry/perf-mark';
import { countDocumentRead, countQueryRead } from './read-counter';

export type Listener<T> = { next: (value: T) => void; error: (error: Error) => void };

/** Every agent of the workspace, sorted by name; the first call delivers them all, then changes. */
export function watchAgents(db: Firestore, workspaceId: string, listener: Listener<AgentView[]>): Unsubscribe {
  let first = true;
  return onSnapshot(
    collection(db, paths.agents(workspaceId)),
    (snapshot) => {
      if (first) markOnce('vigil:agents');
      countQueryRead(first ? snapshot.size : snapshot.docChanges().length, { firstSnapshot: first });
      first = false;
      const agents = snapshot.docs.map((agent) => agentFromDoc(agent.id, agent.data()));
      agents.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      listener.next(agents);
    },
    listener.error,
  );
}

/** One agent; null when it does not exist (deleted, or a wrong link). */
export function watchAgent(db: Firestore, workspaceId: string, agentId: string, listener: Listener<AgentView | null>): Unsubscribe {
  return onSnapshot(
    doc(db, paths.agent(workspaceId, agentId)),
    (snapshot) => {
      countDocumentRead();
      listener.next(snapshot.exists() ? agentFromDoc(snapshot.id, snapshot.data()) : null);
    },
    listener.error,
  );
}

/** state/current with its history; null until the agent's first report has been processed. */
export function watchAgentState(db: Firestore, workspaceId: string, agentId: string, listener: Listener<AgentStateView | null>): Unsubscribe {
  return onSnapshot(
    doc(db, paths.agentState(workspaceId, agentId)),
    (snapshot) => {
      countDocumentRead();
      listener.next(snapshot.exists() ? stateFromDoc(snapshot.data()) : null);
    },
    listener.error,
  );
}
