// ingestReport called in this process against the emulators, its Firestore operations counted the
// way bench/ingest.mjs counts them (the RPC funnel of @google-cloud/firestore). For the ingest int
// tests that count reads and writes (refusals, tickets, deferred writes). Each "instance" is a fresh
// import of ingest-report.ts (vi.resetModules): its own agent cache and refused keys, as a separate
// function instance has; the Firestore SDK is shared, so every instance's operations are counted.
import type { IngestReply, ReportInput } from '@vigil/schema';
import type { CallableRequest } from 'firebase-functions/v2/https';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { countersInstalledOn, diffCounts, installCounters, snapshotCounts, startCounting, stopCounting } from '../../bench/count-ops-entry.js';
import { firestore } from '../../functions/src/firebase/admin.js';
import { enrollAgent, freshReport, type EnrolledAgent } from './agents.js';

export type IngestHandler = (request: CallableRequest<unknown>) => Promise<IngestReply>;

/**
 * Counts Firestore operations for the whole file, and returns `agent(name)`: an enrolled agent whose
 * owner's client is closed after the file's tests.
 */
export function useCountedIngest(): { agent: (name: string) => Promise<EnrolledAgent> } {
  const enrolled: EnrolledAgent[] = [];
  beforeAll(() => {
    installCounters();
    expect(countersInstalledOn(firestore())).toBe(true);
    startCounting();
  });
  afterAll(() => {
    stopCounting();
    return Promise.all(enrolled.map((agent) => agent.owner.close()));
  });
  return {
    agent: async (name) => {
      const created = await enrollAgent(name);
      enrolled.push(created);
      return created;
    },
  };
}

/**
 * A function instance of its own: a fresh module, so a cold cache. Its hourly count of the project's
 * agents (fleet-size.ts) is taken here, before any counted report: it belongs to the instance, not
 * to the report that happens to be its first.
 */
export async function newIngestInstance(): Promise<IngestHandler> {
  vi.resetModules();
  const ingest = await import('../../functions/src/ingest/ingest-report.js');
  await ingest.projectFleetSize.settled();
  return ingest.ingestReport;
}

/** A callable request as the framework hands it to the handler: parsed data, headers, raw body. */
export function ingestRequest(key: string, data: unknown, ticket?: string): CallableRequest<unknown> {
  const rawBody = Buffer.from(JSON.stringify({ data }));
  const headers: Record<string, string> = { 'x-vigil-key': key, 'content-length': String(rawBody.length) };
  if (ticket !== undefined) headers['x-vigil-ticket'] = ticket;
  return { data, rawRequest: { headers, rawBody } } as unknown as CallableRequest<unknown>;
}

export interface CountedReply {
  /** The reply, or the HttpsError's code. */
  reply: IngestReply | string;
  reads: number;
  writes: number;
  ticket: string | undefined;
}

/** One report through `instance`: its reply (or HttpsError code) and what it read and wrote. */
export async function sendCounted(instance: IngestHandler, key: string, ticket?: string, report: ReportInput = freshReport()): Promise<CountedReply> {
  const before = snapshotCounts();
  const reply = await instance(ingestRequest(key, report, ticket)).catch((error: { code?: string }) => error.code ?? String(error));
  const counts = diffCounts(snapshotCounts(), before);
  return { reply, reads: counts.reads, writes: counts.writesCommitted, ticket: typeof reply === 'string' ? undefined : reply.ticket };
}
