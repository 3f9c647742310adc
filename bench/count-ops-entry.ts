// Bundled by bench/ingest-run.mjs (esbuild, to bench/.build/count-ops.mjs) and loaded in-process
// under the emulators: the real ingestReport handler from functions/src, plus counters that tally
// every Firestore operation it makes. Nothing here asserts a cost; it counts what the code does.
//
// Two independent tallies, which must agree:
//   rpc  what reaches the Firestore backend, from Firestore.prototype.request/requestStream (the
//        funnel every RPC of @google-cloud/firestore goes through): documents named in
//        batchGetDocuments and returned by runQuery are reads, the writes of a commit/batchWrite
//        are writes (committed when the RPC succeeds, attempted either way). This is what bills.
//   api  what the handler asks for, from the public prototypes: DocumentReference.get/create/set/
//        update/delete, Firestore.getAll, Query.get, Transaction.get/getAll/create/set/update/
//        delete, WriteBatch.create/set/update/delete. Calls an API makes on another API (get ->
//        getAll, Transaction.create -> WriteBatch.create) count once, via an AsyncLocalStorage guard.
// firebase-admin/firestore wraps the same @google-cloud/firestore module instance (both external
// to the bundle, resolved from the root node_modules), which countersInstalledOn() checks.
import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { CollectionReference, DocumentReference, Firestore, Query, Transaction, WriteBatch } from '@google-cloud/firestore';

export { floorWrite } from '../functions/src/bench/floor-write.js';
export { ingestReport, projectFleetSize } from '../functions/src/ingest/ingest-report.js';
export { firestore } from '../functions/src/firebase/admin.js';
export { BURST_CAPACITY } from '../functions/src/ingest/rate-limit.js';
export { DEFAULT_WORKSPACE_SETTINGS } from '../schema/src/constants/workspace-settings.js';
export { LIMITS } from '../schema/src/limits.js';

export interface OpCounts {
  /** Documents read by the backend (batchGetDocuments documents, runQuery results). */
  reads: number;
  /** Writes sent in commit/batchWrite RPCs, whatever their outcome. */
  writesAttempted: number;
  /** Writes in commit/batchWrite RPCs that succeeded. */
  writesCommitted: number;
  /** RPCs by method name (batchGetDocuments, commit, beginTransaction, rollback, runQuery, ...). */
  rpcs: Record<string, number>;
  failedRpcs: Record<string, number>;
  /** Wall time spent in each RPC method, ms (batchGetDocuments: until its stream ends). */
  rpcMs: Record<string, number>;
  /** The public-API tally: documents asked for, writes staged. */
  apiReads: number;
  apiWritesStaged: number;
  apiCalls: Record<string, number>;
}

function emptyCounts(): OpCounts {
  return { reads: 0, writesAttempted: 0, writesCommitted: 0, rpcs: {}, failedRpcs: {}, rpcMs: {}, apiReads: 0, apiWritesStaged: 0, apiCalls: {} };
}

const counts = emptyCounts();
let enabled = false;
let installed = false;
const insideApi = new AsyncLocalStorage<true>();

function bump(record: Record<string, number>, key: string, by = 1) {
  record[key] = (record[key] ?? 0) + by;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyFn = (...args: any[]) => any;

function installRpcCounters() {
  const proto = Firestore.prototype as any;
  const request: AnyFn = proto.request;
  const requestStream: AnyFn = proto.requestStream;
  if (typeof request !== 'function' || typeof requestStream !== 'function') {
    throw new Error('@google-cloud/firestore has no Firestore.prototype.request/requestStream: update bench/count-ops-entry.ts');
  }

  proto.request = function countedRequest(this: unknown, methodName: string, body: any, ...rest: unknown[]) {
    const result: Promise<unknown> = request.call(this, methodName, body, ...rest);
    if (!enabled) return result;
    bump(counts.rpcs, methodName);
    const started = performance.now();
    const timed = () => bump(counts.rpcMs, methodName, performance.now() - started);
    const writes = methodName === 'commit' || methodName === 'batchWrite' ? (body?.writes?.length ?? 0) : 0;
    counts.writesAttempted += writes;
    return result.then(
      (value) => {
        timed();
        counts.writesCommitted += writes;
        return value;
      },
      (error: unknown) => {
        timed();
        bump(counts.failedRpcs, methodName);
        throw error;
      },
    );
  };

  proto.requestStream = function countedRequestStream(this: unknown, methodName: string, bidi: boolean, body: any, ...rest: unknown[]) {
    const result: Promise<any> = requestStream.call(this, methodName, bidi, body, ...rest);
    if (!enabled) return result;
    bump(counts.rpcs, methodName);
    if (methodName === 'batchGetDocuments') {
      // Billed per document named, found or missing.
      counts.reads += body?.documents?.length ?? 0;
      const started = performance.now();
      return result.then(
        (stream) => {
          stream.once('end', () => bump(counts.rpcMs, methodName, performance.now() - started));
          return stream;
        },
        (error: unknown) => {
          bump(counts.failedRpcs, methodName);
          throw error;
        },
      );
    }
    if (methodName === 'runQuery' || methodName === 'runAggregationQuery') {
      // The stream comes back paused; a 'data' listener on a paused stream does not resume it.
      return result.then((stream) => {
        if (stream.readableFlowing !== false) {
          bump(counts.rpcs, `${methodName} (results not counted)`);
          return stream;
        }
        let documents = 0;
        stream.on('data', (chunk: any) => {
          if (methodName === 'runAggregationQuery' ? chunk?.result : chunk?.document) documents += 1;
        });
        stream.on('end', () => {
          // A query that matches nothing still bills one read.
          counts.reads += Math.max(1, documents);
        });
        return stream;
      });
    }
    return result;
  };
}

function wrapApi(target: any, name: string, tally: (self: any, args: any[]) => { reads?: number; writes?: number }) {
  const original: AnyFn = target[name];
  if (typeof original !== 'function') throw new Error(`no ${target.constructor?.name}.prototype.${name} to count`);
  target[name] = function countedApi(this: unknown, ...args: any[]) {
    if (!enabled || insideApi.getStore()) return original.apply(this, args);
    const { reads = 0, writes = 0 } = tally(this, args);
    bump(counts.apiCalls, `${target.constructor.name}.${name}`);
    counts.apiReads += reads;
    counts.apiWritesStaged += writes;
    return insideApi.run(true, () => original.apply(this, args));
  };
}

const oneRead = () => ({ reads: 1 });
const oneWrite = () => ({ writes: 1 });
const refsIn = (args: any[]) => args.filter((arg) => arg instanceof DocumentReference).length;

function installApiCounters() {
  wrapApi(DocumentReference.prototype, 'get', oneRead);
  for (const write of ['create', 'set', 'update', 'delete']) {
    wrapApi(DocumentReference.prototype, write, oneWrite);
    wrapApi(WriteBatch.prototype, write, oneWrite);
    wrapApi(Transaction.prototype, write, oneWrite);
  }
  wrapApi(CollectionReference.prototype, 'add', oneWrite);
  wrapApi(Firestore.prototype, 'getAll', (_self, args) => ({ reads: refsIn(args) }));
  wrapApi(Transaction.prototype, 'getAll', (_self, args) => ({ reads: refsIn(args) }));
  // A query's reads depend on its result: the rpc tally counts them; here it is one call.
  wrapApi(Transaction.prototype, 'get', (_self, args) => ({ reads: args[0] instanceof DocumentReference ? 1 : 0 }));
  wrapApi(Query.prototype, 'get', () => ({}));
}

/** Patches the prototypes (once). Counting is off until startCounting(). */
export function installCounters() {
  if (installed) return;
  installRpcCounters();
  installApiCounters();
  installed = true;
}

/** True when `db` (firebase-admin's Firestore) is an instance of the class the counters patched. */
export function countersInstalledOn(db: unknown): boolean {
  return installed && db instanceof Firestore;
}

export function startCounting() {
  enabled = true;
}

export function stopCounting() {
  enabled = false;
}

export function snapshotCounts(): OpCounts {
  return structuredClone(counts);
}

/** after − before, field by field. */
export function diffCounts(after: OpCounts, before: OpCounts): OpCounts {
  const diffRecord = (a: Record<string, number>, b: Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const key of Object.keys(a)) if (a[key]! - (b[key] ?? 0) !== 0) out[key] = a[key]! - (b[key] ?? 0);
    return out;
  };
  return {
    reads: after.reads - before.reads,
    writesAttempted: after.writesAttempted - before.writesAttempted,
    writesCommitted: after.writesCommitted - before.writesCommitted,
    rpcs: diffRecord(after.rpcs, before.rpcs),
    failedRpcs: diffRecord(after.failedRpcs, before.failedRpcs),
    rpcMs: diffRecord(after.rpcMs, before.rpcMs),
    apiReads: after.apiReads - before.apiReads,
    apiWritesStaged: after.apiWritesStaged - before.apiWritesStaged,
    apiCalls: diffRecord(after.apiCalls, before.apiCalls),
  };
}
