// The agent document (workspaces/{ws}/agents/{agentId}) as the pages use it.
import type { AgentStatus, HostFacts } from '@vigil/schema';
import { asDate, asNullableString, asNumber, asRecord, asString, asStringArray, type Fields } from './values';

export interface HourBucket {
  hour: string;
  passed: number;
  failed: number;
}

/** The agent process's own health from its newest report (agent.health); null when it sends none. */
export interface AgentHealthView {
  version: string;
  uptimeSeconds: number;
  pluginErrors: number;
  plugins: { id: string; status: string; durationMs: number }[];
  spool: { reports: number; bytes: number; dropped: number } | null;
  crashes: number;
  lastCrash: { at: string; kind: string; message: string; version: string } | null;
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
    return typeof bucket.hour === 'string'
      ? [{ hour: bucket.hour, passed: asNumber(bucket.passed), failed: asNumber(bucket.failed) }]
      : [];
  });
}

function readHealth(value: unknown): AgentHealthView | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const health = asRecord(value);
  const spool = health.spool === undefined ? null : asRecord(health.spool);
  const crash = health.lastCrash === undefined ? null : asRecord(health.lastCrash);
  return {
    version: asString(health.version),
    uptimeSeconds: asNumber(health.uptimeSeconds),
    pluginErrors: asNumber(health.pluginErrors),
    plugins: (Array.isArray(health.plugins) ? health.plugins : []).map((item) => {
      const plugin = asRecord(item);
      return { id: asString(plugin.id), status: asString(plugin.status), durationMs: asNumber(plugin.durationMs) };
    }),
    spool: spool ? { reports: asNumber(spool.reports), bytes: asNumber(spool.bytes), dropped: asNumber(spool.dropped) } : null,
    crashes: asNumber(health.crashes),
    lastCrash: crash
      ? { at: asString(crash.at), kind: asString(crash.kind), message: asString(crash.message), version: asString(crash.version) }
      : null,
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
  };
}
