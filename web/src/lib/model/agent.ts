// The agent document (workspaces/{ws}/agents/{agentId}) as the pages use it.
import type { AgentStatus, HostFacts } from '@vigil/schema';
import { asDate, asNullableString, asNumber, asRecord, asString, asStringArray, isFiniteNumber, isoDate, isRecord, type Fields } from './values';

export interface HourBucket {
  hour: string;
  passed: number;
  failed: number;
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
  health: AgentHealthView | null;
  /** The agent's clock minus the server's at its newest live report, in seconds (positive: ahead); null when not measured. */
  clockSkewSeconds: number | null;
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
    health: readHealth(data.health),
    clockSkewSeconds: isFiniteNumber(data.clockSkewSeconds) ? data.clockSkewSeconds : null,
  };
}
