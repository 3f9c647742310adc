// Deferred agent writes (issue #13): the agent document's write on every report is most of what a
// host costs ($0.016 of the $0.03 a host-month at list prices), so a report that changes nothing but
// what every report changes may leave the document as it is, every other report. What that report
// would have written (lastSeenAt aside: the token bucket, the receipt sequence, metrics and their
// history, the agent's own health, the hourly tests counts, the report id) rides in the reply's
// ticket (agent-ticket.ts) and in the instance's cache, and the agent's next report writes it,
// whichever instance it reaches: one agent write per two unchanged reports.
//
// Safety comes from the silence deadline, not from timing guesses: a report may be deferred only
// when the deadline the document already holds (`offlineAt`) gives it the whole grace silence
// detection gives a written one (3 judged intervals + 60 s from this report, silence.ts), so a
// deferred report can never make its agent look silent sooner than a written one would. Every
// report written for an agent that sends tickets sets that deadline DEFERRAL_MARGIN_INTERVALS later
// than silence.ts alone would, which is what leaves room for the next report to be deferred.
//
// What this gives up, by design (docs/architecture.md, "Deferred agent writes"):
//   - the dashboard's "last seen" and newest metrics point may be one report older;
//   - an agent that dies after a deferred report is called offline as of its last written report,
//     1.25 intervals later at most than it would have been (never sooner), and that report's metrics
//     point is never stored;
//   - a revocation, rotation or deletion made since the last written report stops the agent's next
//     report that writes; a deferred one in between is answered but keeps nothing.
// Everything an operator acts on is written at once: stored reports (a change of content, a
// failure streak, the daily checkpoint), a status change (back online), a summary change (what the
// fleet summary counts), a key promotion or an automatic rotation, a new agent version, a change in
// its update status and a new crash. Pure.
import { canonicalJson } from './report-content.js';

/** How much later than silence.ts alone a written report's deadline is, in judged intervals: the
 * next report, due one interval on (report slots keep it within seconds of that), fits under it. */
export const DEFERRAL_MARGIN_INTERVALS = 1.25;

export interface DeferralFacts {
  /** A live report (a backfill one from the spool never defers: it is rare and fills history). */
  live: boolean;
  /** The store decision keeps this report (store-decision.ts): its content changed, a failure streak, the checkpoint. */
  stored: boolean;
  /** The agent's status before this report; an offline agent coming back raises agent_online. */
  wasOnline: boolean;
  /** The report makes a rotation's pending key the agent's key, or asks for an automatic rotation. */
  changesKey: boolean;
  /** What the fleet summary counts changed (the agent's changedAt would move). */
  summaryChanged: boolean;
  /** The report came with a valid ticket, so the agent sends its tickets back. */
  sendsTickets: boolean;
  /** The receipt sequence this report gets: every other one may defer, so at most one report in two. */
  receiptSequence: number;
  receivedAtMs: number;
  /** The deadline the agent document holds now (`offlineAt`), null or absent when it has none. */
  storedDeadlineMs: number | null;
  /** The deadline silence.ts gives a report written now (silenceDeadlineMs). */
  deadlineIfWrittenMs: number;
  /** What the document says and what this report says of the agent's version, update status and newest crash. */
  onDocument: AgentSelfFacts;
  inReport: AgentSelfFacts;
}

/** The agent's facts about itself that the dashboard shows as badges: written as soon as they change. */
export interface AgentSelfFacts {
  agentVersion: unknown;
  update: unknown;
  lastCrash: unknown;
}

function sameFacts(a: AgentSelfFacts, b: AgentSelfFacts): boolean {
  return (
    a.agentVersion === b.agentVersion &&
    canonicalJson(a.update ?? null) === canonicalJson(b.update ?? null) &&
    canonicalJson(a.lastCrash ?? null) === canonicalJson(b.lastCrash ?? null)
  );
}

/**
 * Whether this report may leave the agent document unwritten (see above for every condition's
 * reason). The caller defers only when the reply's ticket can carry the state too (it fits).
 */
export function mayDeferAgentWrite(facts: DeferralFacts): boolean {
  if (!facts.live || facts.stored || !facts.wasOnline || facts.changesKey || facts.summaryChanged) return false;
  if (!facts.sendsTickets) return false;
  if (facts.receiptSequence % 2 !== 0) return false;
  if (facts.storedDeadlineMs === null || facts.storedDeadlineMs < facts.deadlineIfWrittenMs) return false;
  return sameFacts(facts.onDocument, facts.inReport);
}

/**
 * The deadline a written report stores: silence.ts's, and for an agent that sends its tickets
 * (whose next report may be deferred) DEFERRAL_MARGIN_INTERVALS judged intervals later.
 */
export function writtenDeadlineMs(deadlineIfWrittenMs: number, judgedIntervalSeconds: number, sendsTickets: boolean): number {
  return sendsTickets ? deadlineIfWrittenMs + Math.round(DEFERRAL_MARGIN_INTERVALS * judgedIntervalSeconds * 1000) : deadlineIfWrittenMs;
}
