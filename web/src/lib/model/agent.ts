// The agent document (workspaces/{ws}/agents/{agentId}) as the pages use it.
import type { AgentLabels, AgentStatus, AgentUpdateOutcome, HostFacts, KEY_ROTATION_REASONS } from '@vigil/schema';
import { labelsFromDoc } from '../domain/labels';
import {
  asDate,
  asNullableString,
  asNumber,
  asRecord,
  asString,
  asStringArray,
  isFiniteNumber,
  isoDate,
  isRecord,
  recordOf,
  type Fields,
} from './values';

export interface HourBucket {
  hour: string;
  passed: number;
  failed: number;
}

/** Metric values per solution id (then metric key), as the agent document keeps them. */
export type SolutionMetrics = Record<string, Record<string, number>>;

/** One hour of metricsHistory: the last value of each metric in that hour. */
export interface MetricsHour {
  hour: string;
  solutions: SolutionMetrics;
}

/** The agent process's own health from its newest report (agent.health); null when it sends none. */
export interface AgentHealthView {
  uptimeSeconds: number;
  pluginErrors: number;
  plugins: { id: string; durationMs: number }[];
  spool: { reports: number; dropped: number } | null;
  crashes: number;
  /** `at` is null when the stored time does not parse. */
  lastCrash: { at: Date | null; message: string; version: string } | null;
}

/** The agent's last self-update attempt (agent.update.last); `at` null when the stored time does not parse. */
export interface AgentUpdateAttemptView {
  outcome: AgentUpdateOutcome;
  from: string;
  to: string;
  at: Date | null;
  /** Agent-supplied: rendered as text only. */
  reason: string | null;
}

/** The agent's update policy and last attempt (agent.update, from its newest live report). */
export interface AgentUpdateView {
  auto: boolean;
  /** `stable` or a pinned version (AGENT_UPDATE_STABLE_CHANNEL). */
  channel: string;
  last: AgentUpdateAttemptView | null;
}

export type KeyRotationReason = (typeof KEY_ROTATION_REASONS)[number];

/** A key rotation the agent carries out itself, still pending (agent.keyRotation and pendingKeyId). */
export interface KeyRotationView {
  reason: KeyRotationReason;
  requestedAt: Date;
  /** Who asked on the dashboard: their address when known; null for an automatic rotation or an unknown address. */
  requestedByEmail: string | null;
  /** When fetchAgentKey issued the pending key; null until the agent fetched it. */
  fetchedAt: Date | null;
  /** Whether a pending key is stored (pendingKeyId): with fetchedAt, the agent holds a key it has not reported with yet. */
  pendingKey: boolean;
}

export interface AgentView {
  id: string;
  name: string;
  description: string;
  status: AgentStatus;
  revokedAt: Date | null;
  createdAt: Date | null;
  lastSeenAt: Date | null;
  lastCollectedAt: string | null;
  intervalSeconds: number;
  keyPrefix: string | null;
  agentVersion: string | null;
  host: HostFacts | null;
  solutions: string[];
  testsPassed: number;
  testsFailed: number;
  testsHistory: HourBucket[];
  /** The newest report's metrics per solution; empty on a document from before the agent kept them. */
  metrics: SolutionMetrics;
  /** Their hourly history, oldest first (at most HISTORY_POINTS hours); empty when none was kept. */
  metricsHistory: MetricsHour[];
  health: AgentHealthView | null;
  /** The agent's clock minus the server's at its newest live report, in seconds (positive: ahead); null when not measured. */
  clockSkewSeconds: number | null;
  /** Labels (key → value) from enrollment or setAgentLabels; empty when it has none. */
  labels: AgentLabels;
  /** Null when the newest live report carried none (an agent older than self-update) or it is malformed. */
  update: AgentUpdateView | null;
  /** Null when no rotation is pending (or its record is malformed, which ingest also reads as none). */
  keyRotation: KeyRotationView | null;
}

const STATUSES: readonly AgentStatus[] = ['online', 'offline', 'never-seen'];

function readHost(value: unknown): HostFacts | null {
  if (value === null || value === undefined) return null;
  const host = asRecord(value);
  const facts: HostFacts = {};
  for (const key of ['hostname', 'os', 'kernel', 'arch'] as const) {
    if (typeof host[key] === 'string') facts[key] = host[key];
  }
  return facts;
}

function readHistory(value: unknown): HourBucket[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const bucket = asRecord(item);
    return typeof bucket.hour === 'string' ? [{ hour: bucket.hour, passed: asNumber(bucket.passed), failed: asNumber(bucket.failed) }] : [];
  });
}

/** Solution id → metric key → number; keys are agent data, so the records are built from own entries. */
function readSolutionMetrics(value: unknown): SolutionMetrics {
  return Object.fromEntries(Object.entries(asRecord(value)).map(([solutionId, metrics]) => [solutionId, recordOf(metrics, isFiniteNumber)]));
}

function readMetricsHistory(value: unknown): MetricsHour[] {
  if (!Array.isArray(value)) return [];
  const hours = value.flatMap((item) => {
    const point = asRecord(item);
    if (typeof point.hour !== 'string' || Number.isNaN(Date.parse(point.hour))) return [];
    return [{ hour: point.hour, solutions: readSolutionMetrics(point.solutions) }];
  });
  return hours.sort((a, b) => Date.parse(a.hour) - Date.parse(b.hour));
}

function readHealth(value: unknown): AgentHealthView | null {
  if (!isRecord(value)) return null;
  const spool = isRecord(value.spool) ? value.spool : null;
  const crash = isRecord(value.lastCrash) ? value.lastCrash : null;
  return {
    uptimeSeconds: asNumber(value.uptimeSeconds),
    pluginErrors: asNumber(value.pluginErrors),
    plugins: (Array.isArray(value.plugins) ? value.plugins : []).map((item) => {
      const plugin = asRecord(item);
      return { id: asString(plugin.id), durationMs: asNumber(plugin.durationMs) };
    }),
    spool: spool ? { reports: asNumber(spool.reports), dropped: asNumber(spool.dropped) } : null,
    crashes: asNumber(value.crashes),
    lastCrash: crash ? { at: isoDate(crash.at), message: asString(crash.message), version: asString(crash.version) } : null,
  };
}

// Records, not lists, so the compiler asks for every value the schema has (the dashboard imports no zod).
const OUTCOMES: Record<AgentUpdateOutcome, true> = { updated: true, failed: true, 'rolled-back': true };
const ROTATION_REASONS: Record<KeyRotationReason, true> = { dashboard: true, automatic: true };

const isOneOf = <T extends string>(known: Record<T, true>, value: unknown): value is T => typeof value === 'string' && Object.hasOwn(known, value);

function readUpdate(value: unknown): AgentUpdateView | null {
  if (!isRecord(value) || typeof value.auto !== 'boolean' || typeof value.channel !== 'string') return null;
  const last = isRecord(value.last) ? value.last : null;
  const outcome = isOneOf(OUTCOMES, last?.outcome) ? last.outcome : null;
  return {
    auto: value.auto,
    channel: value.channel,
    last:
      last && outcome
        ? { outcome, from: asString(last.from), to: asString(last.to), at: isoDate(last.at), reason: asNullableString(last.reason) }
        : null,
  };
}

/** As functions' pendingRotation reads it: a reason and a request time, or no rotation at all. */
function readKeyRotation(value: unknown, pendingKeyId: unknown): KeyRotationView | null {
  if (!isRecord(value)) return null;
  const reason = isOneOf(ROTATION_REASONS, value.reason) ? value.reason : null;
  const requestedAt = asDate(value.requestedAt);
  if (!reason || !requestedAt) return null;
  return {
    reason,
    requestedAt,
    requestedByEmail: isRecord(value.requestedBy) ? asNullableString(value.requestedBy.email) : null,
    fetchedAt: asDate(value.fetchedAt),
    pendingKey: typeof pendingKeyId === 'string' && pendingKeyId !== '',
  };
}

export function agentFromDoc(id: string, data: Fields): AgentView {
  const summary = asRecord(data.summary);
  const status = STATUSES.find((candidate) => candidate === data.status) ?? 'never-seen';
  return {
    id,
    name: asString(data.name, id),
    description: asString(data.description),
    status,
    revokedAt: asDate(data.revokedAt),
    createdAt: asDate(data.createdAt),
    lastSeenAt: asDate(data.lastSeenAt),
    lastCollectedAt: asNullableString(data.lastCollectedAt),
    intervalSeconds: asNumber(data.intervalSeconds, 300),
    keyPrefix: asNullableString(data.keyPrefix),
    agentVersion: asNullableString(data.agentVersion),
    host: readHost(data.host),
    solutions: asStringArray(summary.solutions),
    testsPassed: asNumber(summary.testsPassed),
    testsFailed: asNumber(summary.testsFailed),
    testsHistory: readHistory(data.testsHistory),
    metrics: readSolutionMetrics(data.metrics),
    metricsHistory: readMetricsHistory(data.metricsHistory),
    health: readHealth(data.health),
    clockSkewSeconds: isFiniteNumber(data.clockSkewSeconds) ? data.clockSkewSeconds : null,
    labels: labelsFromDoc(data.labels),
    update: readUpdate(data.update),
    keyRotation: readKeyRotation(data.keyRotation, data.pendingKeyId),
  };
}
