// Pins the retention policy as deployed: the emulator has no TTL, so this is where TTL is checked.
// firestore.indexes.json must pass firebase-tools' own validation (what `firebase deploy` runs), and
// every collection retention deletes must have its TTL policy on expireAt and the indexes the sweep
// queries; every document shape retention deletes carries expireAt.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { auditEntrySchema, digestRunSchema, emailHourSchema, eventSchema, storedReportStampsSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { EXPIRING_COLLECTIONS, RETENTION_COLLECTIONS } from './retention.js';

interface FieldIndex {
  order?: string;
  arrayConfig?: string;
  queryScope?: string;
}
interface FieldOverride {
  collectionGroup: string;
  fieldPath: string;
  ttl?: unknown;
  indexes: FieldIndex[];
}
interface IndexSpec {
  indexes: { collectionGroup: string; queryScope: string; fields: { fieldPath: string; order?: string }[] }[];
  fieldOverrides: FieldOverride[];
}

const spec = JSON.parse(readFileSync(new URL('../../../firestore.indexes.json', import.meta.url), 'utf8')) as IndexSpec;

function override(collectionGroup: string, fieldPath: string): FieldOverride | undefined {
  return spec.fieldOverrides.find((entry) => entry.collectionGroup === collectionGroup && entry.fieldPath === fieldPath);
}

const scopes = (entry: FieldOverride | undefined) =>
  (entry?.indexes ?? []).map((index) => `${index.queryScope ?? 'COLLECTION'} ${index.order}`).sort();

describe('firestore.indexes.json', () => {
  it('passes the validation firebase deploy runs (firebase-tools FirestoreApi.validateSpec)', () => {
    const require = createRequire(import.meta.url);
    const { FirestoreApi } = require('firebase-tools/lib/firestore/api.js') as {
      FirestoreApi: new () => { upgradeOldSpec(spec: unknown): unknown; validateSpec(spec: unknown): void };
    };
    const api = new FirestoreApi();
    expect(() => api.validateSpec(api.upgradeOldSpec(spec))).not.toThrow();
    // It does check ttl: the string "true" some examples show is refused.
    const stringTtl = { indexes: [], fieldOverrides: [{ collectionGroup: 'x', fieldPath: 'expireAt', ttl: 'true', indexes: [] }] };
    expect(() => api.validateSpec(stringTtl)).toThrow(/ttl/);
  });

  it.each(RETENTION_COLLECTIONS.map((entry) => [entry.collection, entry.writtenAt]))(
    '%s: a TTL policy on expireAt, indexed for the sweep and the backfill (by %s) across the collection group',
    (collection, writtenAt) => {
      const ttl = override(collection, 'expireAt');
      expect(ttl?.ttl).toBe(true);
      expect(scopes(ttl)).toContain('COLLECTION_GROUP ASCENDING');
      // The backfill orders the collection group by the write time; the collection's own queries keep both directions.
      expect(scopes(override(collection, writtenAt))).toEqual(['COLLECTION ASCENDING', 'COLLECTION DESCENDING', 'COLLECTION_GROUP ASCENDING']);
    },
  );

  it('has the composite a lowered retention queries reports by (workspaceId, then receivedAt, collection group)', () => {
    const composite = spec.indexes.find(
      (index) =>
        index.collectionGroup === 'reports' &&
        index.queryScope === 'COLLECTION_GROUP' &&
        index.fields.map((field) => `${field.fieldPath} ${field.order}`).join(',') === 'workspaceId ASCENDING,receivedAt ASCENDING',
    );
    expect(composite).toBeDefined();
  });

  it('sets TTL on no other field or collection than retention deletes (a TTL elsewhere would delete live data)', () => {
    const withTtl = spec.fieldOverrides.filter((entry) => entry.ttl === true).map((entry) => `${entry.collectionGroup}.${entry.fieldPath}`);
    expect(withTtl.sort()).toEqual(EXPIRING_COLLECTIONS.map((collection) => `${collection}.expireAt`).sort());
  });
});

describe('the documents retention deletes', () => {
  it('each carry expireAt in their schema', () => {
    for (const shape of [storedReportStampsSchema.shape, eventSchema.shape, emailHourSchema.shape, digestRunSchema.shape, auditEntrySchema.shape]) {
      expect(Object.keys(shape)).toContain('expireAt');
    }
  });
});
