// Keeps an agent's state/current within LIMITS.agentStateBytes (as Firestore counts bytes), so no
// sequence of schema-valid reports can push it past Firestore's 1 MiB and stop the trigger. The
// current report's part (configuration, tests, alerts) is the truth and is kept whole; the history
// gives way, oldest first: first its points lose their per-solution detail (tests and metrics,
// keeping the pass/fail counts the charts draw), then the oldest points go. Pure.
import { FIRESTORE_DOCUMENT_MAX_BYTES, LIMITS, firestoreDocumentBytes, firestoreValueBytes, type HistoryPoint } from '@vigil/schema';
import { DeterministicFailure } from './trigger-failure.js';

function withoutDetail(point: HistoryPoint): HistoryPoint {
  return { ...point, solutions: {} };
}

/** The state with as much history as fits in `budgetBytes`; throws DeterministicFailure if even no history cannot fit in a document. */
export function boundedState<T extends { history: HistoryPoint[] }>(path: string, state: T, budgetBytes: number = LIMITS.agentStateBytes): T {
  let total = firestoreDocumentBytes(path, state);
  if (total <= budgetBytes) return state;

  const history = [...state.history];
  for (let index = 0; index < history.length && total > budgetBytes; index += 1) {
    const point = history[index]!;
    const lean = withoutDetail(point);
    total -= firestoreValueBytes(point) - firestoreValueBytes(lean);
    history[index] = lean;
  }
  let first = 0;
  while (first < history.length && total > budgetBytes) {
    total -= firestoreValueBytes(history[first]);
    first += 1;
  }
  const bounded = { ...state, history: history.slice(first) };
  // Only the current report's own part is left over the budget: still written while Firestore takes it.
  if (total > FIRESTORE_DOCUMENT_MAX_BYTES) {
    throw new DeterministicFailure(`the agent's state would take ${total} bytes, more than Firestore's ${FIRESTORE_DOCUMENT_MAX_BYTES}`);
  }
  return bounded;
}
