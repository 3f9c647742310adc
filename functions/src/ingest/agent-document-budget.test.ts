import { readFileSync } from 'node:fs';
import {
  FIRESTORE_DOCUMENT_MAX_BYTES,
  LIMITS,
  METRICS_KEPT_PER_SOLUTION,
  agentSchema,
  firestoreDocumentBytes,
  paths,
  reportSchema,
} from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { largestReport } from '../../../schema/src/test-fixtures.js';
import { LARGEST_OTHER_FIELDS, boundedMetrics } from './agent-document-budget.js';
import { agentChangesFromReport } from './agent-update.js';

const AGENT_PATH = paths.agent('A'.repeat(LIMITS.documentIdLength), 'B'.repeat(LIMITS.documentIdLength));
/** Firestore keeps at most this many index entries per document. */
const MAX_INDEX_ENTRIES = 40_000;

/** LARGEST_OTHER_FIELDS as stored: its Dates stand for Timestamps. */
function stored(value: unknown): unknown {
  if (value instanceof Date) return Timestamp.fromDate(value);
  if (Array.isArray(value)) return value.map(stored);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stored(item)]));
  return value;
}

/** The agent document after `count` hourly reports, each the largest the schema accepts, as ingest builds it. */
function agentAfter(count: number): Record<string, unknown> {
  let document: Record<string, unknown> = { ...LARGEST_OTHER_FIELDS };
  for (let index = 0; index < count; index += 1) {
    const collectedAt = new Date(Date.parse('2026-11-27T10:00:00Z') + index * 3_600_000).toISOString();
    const report = reportSchema.parse(largestReport({ reportId: `report-${index}`, collectedAt }));
    document = { ...document, ...agentChangesFromReport(report, document, 0, AGENT_PATH), ...LARGEST_OTHER_FIELDS };
  }
  return document;
}

/** The agents collection's field overrides: fields indexed other than by default, exempt ones with no index. */
function agentFieldOverrides(): Map<string, number> {
  const indexes = JSON.parse(readFileSync(new URL('../../../firestore.indexes.json', import.meta.url), 'utf8')) as {
    fieldOverrides: { collectionGroup: string; fieldPath: string; indexes: { queryScope: string }[] }[];
    indexes: { collectionGroup: string; queryScope: string }[];
  };
  return new Map(
    indexes.fieldOverrides
      .filter((override) => override.collectionGroup === 'agents')
      .map((override) => [override.fieldPath, override.indexes.filter((index) => index.queryScope === 'COLLECTION').length]),
  );
}

/**
 * Index entries Firestore keeps for a document (its published rules): ascending and descending
 * for each field that is neither an array nor a map, one array-contains entry per distinct array
 * element, a map's subfields each by these rules; an overridden field as many as it has indexes.
 */
function indexEntries(value: unknown, path: string, overrides: Map<string, number>): number {
  const override = overrides.get(path);
  if (override !== undefined) return override;
  if (Array.isArray(value)) return new Set(value.map((item) => JSON.stringify(item))).size;
  if (value && typeof value === 'object' && !(value instanceof Timestamp)) {
    return Object.entries(value).reduce((sum, [key, item]) => sum + indexEntries(item, path ? `${path}.${key}` : key, overrides), 0);
  }
  return 2;
}

describe('the agent document stays under LIMITS.agentDocumentBytes', () => {
  it('the other fields at their largest are a valid agent document', () => {
    expect(agentSchema.safeParse(stored(LARGEST_OTHER_FIELDS)).success).toBe(true);
  });

  it('reserves every field of the agent document but the metrics', () => {
    const reserved = new Set(Object.keys(LARGEST_OTHER_FIELDS));
    const missing = Object.keys(agentSchema.shape).filter((field) => field !== 'metrics' && field !== 'metricsHistory' && !reserved.has(field));
    expect(missing).toEqual([]);
  });

  it('after many of the largest reports the schema accepts: the history gives way, the newest metrics stay whole', () => {
    const document = agentAfter(60);
    const bytes = firestoreDocumentBytes(AGENT_PATH, document);
    expect(bytes).toBeLessThanOrEqual(LIMITS.agentDocumentBytes);
    expect(LIMITS.agentDocumentBytes).toBeLessThan(FIRESTORE_DOCUMENT_MAX_BYTES);
    const metrics = document.metrics as Record<string, Record<string, number>>;
    expect(Object.keys(metrics)).toHaveLength(LIMITS.solutionsPerReport);
    for (const values of Object.values(metrics)) expect(Object.keys(values)).toHaveLength(METRICS_KEPT_PER_SOLUTION);
    expect(agentSchema.safeParse(stored(document)).success).toBe(true);
  });

  it('keeps far fewer index entries than Firestore allows, because the big maps are exempt', () => {
    const document = agentAfter(3);
    const overrides = agentFieldOverrides();
    const entries = indexEntries(document, '', overrides);
    expect(entries).toBeLessThan(MAX_INDEX_ENTRIES / 100);
    // without the exemptions the metrics alone would cost thousands
    expect(indexEntries(document, '', new Map())).toBeGreaterThan(entries + 2 * LIMITS.solutionsPerReport * METRICS_KEPT_PER_SOLUTION);
  });
});

describe('boundedMetrics', () => {
  const hour = (index: number) => ({ hour: `2026-11-27T${String(index).padStart(2, '0')}:00:00.000Z`, solutions: { clamav: { signatures: index } } });
  const fields = { metrics: { clamav: { signatures: 9 }, fail2ban: { banned: 1 } }, metricsHistory: [hour(1), hour(2), hour(3)] };
  const fixed = firestoreDocumentBytes(AGENT_PATH, LARGEST_OTHER_FIELDS);
  const size = (value: typeof fields) => fixed + firestoreDocumentBytes('', value) - firestoreDocumentBytes('', {});

  it('leaves metrics within the budget alone', () => {
    expect(boundedMetrics(AGENT_PATH, fields, size(fields))).toBe(fields);
  });

  it('drops the oldest hours first, then the latest metrics’ last solutions', () => {
    expect(boundedMetrics(AGENT_PATH, fields, size(fields) - 1).metricsHistory).toEqual([hour(2), hour(3)]);
    const noHistory = { ...fields, metricsHistory: [] };
    expect(boundedMetrics(AGENT_PATH, fields, size(noHistory))).toEqual(noHistory);
    expect(boundedMetrics(AGENT_PATH, fields, size(noHistory) - 1)).toEqual({ metrics: { clamav: { signatures: 9 } }, metricsHistory: [] });
  });
});
