// Agents: pages of the list and a name search (one-time, indexed queries that read only what they
// show), one agent and its state (which carries its recorded history), live.
import {
  collection,
  doc,
  documentId,
  FieldPath,
  getCountFromServer,
  getDoc,
  getDocs,
  limit,
  onSnapshot,
  orderBy,
  query,
  startAfter,
  where,
  type DocumentSnapshot,
  type Firestore,
  type QueryConstraint,
  type Unsubscribe,
} from 'firebase/firestore';
import { agentConditions, agentOrder, namePrefixConditions, type AgentCondition, type AgentFilters } from '../domain/agent-filters';
import { agentFromDoc, type AgentView } from '../model/agent';
import { stateFromDoc, type AgentStateView } from '../model/agent-state';
import { paths } from '@vigil/schema/constants';
import { markOnce } from '../telemetry/perf-mark';
import { countAggregation, countDocumentRead, countQueryRead } from './read-counter';

export type Listener<T> = { next: (value: T) => void; error: (error: Error) => void };

/** Where a page of agents ends; pass it back to read the next one. Opaque to callers. */
export type AgentsCursor = DocumentSnapshot;

export interface AgentsPage {
  agents: AgentView[];
  /** The last agent of this page when another page follows, else null. */
  next: AgentsCursor | null;
}

/** A label condition's field is FieldPath('labels', key): a dotted string would split a key such as 'team.name'. */
function toConstraints(conditions: readonly AgentCondition[]): QueryConstraint[] {
  return conditions.map((condition) =>
    condition.field === 'label'
      ? where(new FieldPath('labels', condition.key), condition.op, condition.value)
      : where(condition.field, condition.op, condition.value),
  );
}

/**
 * The agents matching `filters`, by name (by document id with a label filter: agentOrder): a page
 * and its count use this same query, so they use the same index.
 */
function filteredAgents(db: Firestore, workspaceId: string, filters: AgentFilters) {
  const order = agentOrder(filters) === 'name' ? orderBy('name') : orderBy(documentId());
  return query(collection(db, paths.agents(workspaceId)), ...toConstraints(agentConditions(filters)), order);
}

/**
 * One page of the agents that match `filters`, by name, after `after`. It asks for one agent more
 * than the page holds to know whether a next page exists: `pageSize + 1` reads, whatever the fleet.
 */
export async function fetchAgentsPage(
  db: Firestore,
  workspaceId: string,
  filters: AgentFilters,
  pageSize: number,
  after: AgentsCursor | null,
): Promise<AgentsPage> {
  const snapshot = await getDocs(query(filteredAgents(db, workspaceId, filters), ...(after ? [startAfter(after)] : []), limit(pageSize + 1)));
  markOnce('vigil:agents');
  countQueryRead(snapshot.size);
  const shown = snapshot.docs.slice(0, pageSize);
  return {
    agents: shown.map((agent) => agentFromDoc(agent.id, agent.data())),
    next: snapshot.size > pageSize ? (shown.at(-1) ?? null) : null,
  };
}

/** How many agents match `filters`: a count aggregation, one read per 1,000 agents counted. */
export async function countAgents(db: Firestore, workspaceId: string, filters: AgentFilters): Promise<number> {
  const snapshot = await getCountFromServer(filteredAgents(db, workspaceId, filters));
  const count = snapshot.data().count;
  countAggregation(count);
  return count;
}

/** The first `count` agents, by name, whose name starts with `prefix` (case-sensitive). */
export async function searchAgentsByName(db: Firestore, workspaceId: string, prefix: string, count: number): Promise<AgentView[]> {
  const conditions = namePrefixConditions(prefix);
  const snapshot = await getDocs(query(collection(db, paths.agents(workspaceId)), ...toConstraints(conditions), orderBy('name'), limit(count)));
  countQueryRead(snapshot.size);
  return snapshot.docs.map((agent) => agentFromDoc(agent.id, agent.data()));
}

/** One agent, read once; null when it does not exist. */
export async function fetchAgent(db: Firestore, workspaceId: string, agentId: string): Promise<AgentView | null> {
  const snapshot = await getDoc(doc(db, paths.agent(workspaceId, agentId)));
  countDocumentRead();
  return snapshot.exists() ? agentFromDoc(snapshot.id, snapshot.data()) : null;
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

/** state/current with its recorded history (stored reports: changes, failure-streak steps, checkpoints); null until the agent's first report has been processed. */
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
