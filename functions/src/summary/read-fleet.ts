// The reads behind one workspace's fleet summary: aggregation queries over its agents (count() and
// sum(), each costing one read per 1,000 index entries it goes through) and two attention queries of
// at most FLEET_ATTENTION_AGENTS documents. All in one read-only transaction, so every figure comes
// from the same snapshot (never-seen is derived from the others). Per workspace: 5 + one per catalog
// solution aggregation queries, at most 2 x FLEET_ATTENTION_AGENTS documents, whatever the fleet size.
//
// Indexes (firestore.indexes.json): the counts use single-field indexes and the composite
// (revokedAt, status, lastSeenAt desc), which the offline attention query also uses; the failing
// one uses (revokedAt, summary.testsFailed desc, name).
import { FLEET_ATTENTION_AGENTS, paths, SOLUTION_CATALOG } from '@vigil/schema';
import { AggregateField, type Firestore, type Query, type QuerySnapshot, type Transaction } from 'firebase-admin/firestore';
import { attentionAgent, type AttentionAgent, type FleetAggregates } from './fleet-summary.js';

/** Solutions are counted over the catalog: the agent reports nothing else (its plugins are the catalog's). */
const SOLUTION_IDS = Object.keys(SOLUTION_CATALOG);

export interface FleetReads {
  aggregates: FleetAggregates;
  /** Agents not revoked with failing tests, most first (by name on a tie). */
  failing: AttentionAgent[];
  /** Offline agents not revoked, seen most recently first. */
  offline: AttentionAgent[];
}

const ATTENTION_FIELDS = ['name', 'status', 'summary.testsFailed', 'lastSeenAt'] as const;

async function count(tx: Transaction, query: Query): Promise<number> {
  return (await tx.get(query.count())).data().count;
}

function attentionAgents(snapshot: QuerySnapshot): AttentionAgent[] {
  return snapshot.docs.map((doc) =>
    attentionAgent(doc.id, {
      name: doc.get('name'),
      status: doc.get('status'),
      testsFailed: doc.get('summary.testsFailed'),
      lastSeenAt: doc.get('lastSeenAt'),
    }),
  );
}

export function readFleet(db: Firestore, workspaceId: string): Promise<FleetReads> {
  const agents = db.collection(paths.agents(workspaceId));
  const enrolled = agents.where('revokedAt', '==', null);
  return db.runTransaction(
    async (tx) => {
      const [totals, revoked, online, offline, failing, perSolution, failingAgents, offlineAgents] = await Promise.all([
        tx.get(
          agents.aggregate({
            agents: AggregateField.count(),
            testsPassed: AggregateField.sum('summary.testsPassed'),
            testsFailed: AggregateField.sum('summary.testsFailed'),
          }),
        ),
        count(tx, agents.where('revokedAt', '!=', null)),
        count(tx, enrolled.where('status', '==', 'online')),
        count(tx, enrolled.where('status', '==', 'offline')),
        count(tx, agents.where('summary.testsFailed', '>', 0)),
        Promise.all(SOLUTION_IDS.map((id) => count(tx, agents.where('summary.solutions', 'array-contains', id)))),
        tx.get(
          enrolled
            .where('summary.testsFailed', '>', 0)
            .orderBy('summary.testsFailed', 'desc')
            .orderBy('name')
            .limit(FLEET_ATTENTION_AGENTS)
            .select(...ATTENTION_FIELDS),
        ),
        tx.get(
          enrolled
            .where('status', '==', 'offline')
            .orderBy('lastSeenAt', 'desc')
            .limit(FLEET_ATTENTION_AGENTS)
            .select(...ATTENTION_FIELDS),
        ),
      ]);
      const sums = totals.data();
      return {
        aggregates: {
          agents: sums.agents,
          revoked,
          online,
          offline,
          failing,
          testsPassed: sums.testsPassed ?? 0,
          testsFailed: sums.testsFailed ?? 0,
          agentsPerSolution: Object.fromEntries(SOLUTION_IDS.map((id, index) => [id, perSolution[index] ?? 0])),
        },
        failing: attentionAgents(failingAgents),
        offline: attentionAgents(offlineAgents),
      };
    },
    { readOnly: true },
  );
}
