// A counting gRPC proxy in front of the Firestore emulator. Every method of
// google.firestore.v1.Firestore (from the protos @google-cloud/firestore ships) is forwarded as raw
// bytes, untouched, and billed on the way by firestore-billing.mjs. Each listening port is one kind
// of caller (the function workers, the benchmark's own setup), so the cost and the setup never
// mix; on the functions port each connection is traced to its worker process and so to its function
// (peer-process.mjs). A method the protos do not list is answered UNIMPLEMENTED by the server: it
// fails loudly rather than escape the count.
import { createRequire } from 'node:module';
import path from 'node:path';
import { billOf } from './firestore-billing.mjs';
import { functionOfPeer } from './peer-process.mjs';

// The gRPC library and protos of the Firestore SDK itself (nested under @google-cloud/firestore): the
// root node_modules' older @grpc/grpc-js drops the SDK's HTTP/2 connections.
const firestoreRoot = path.dirname(createRequire(import.meta.url).resolve('@google-cloud/firestore/package.json'));
const require = createRequire(path.join(firestoreRoot, 'package.json'));
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const PROTOS = path.join(firestoreRoot, 'build', 'protos');
const SERVICE = 'google.firestore.v1.Firestore';
const UNLIMITED = { 'grpc.max_receive_message_length': -1, 'grpc.max_send_message_length': -1 };
const raw = (buffer) => buffer;

/** The service's methods: name -> { path, requestStream, responseStream }. */
function firestoreMethods() {
  const definition = protoLoader.loadSync('google/firestore/v1/firestore.proto', { includeDirs: [PROTOS] })[SERVICE];
  return Object.fromEntries(
    Object.entries(definition).map(([name, method]) => [
      name,
      { path: method.path, requestStream: method.requestStream, responseStream: method.responseStream },
    ]),
  );
}

function emptyCounts() {
  return { reads: 0, writes: 0, deletes: 0, rpcs: {}, failedRpcs: {}, byCollection: {} };
}

function addBill(counts, bill) {
  counts.reads += bill.reads;
  counts.writes += bill.writes;
  counts.deletes += bill.deletes;
  for (const [collection, row] of Object.entries(bill.byCollection)) {
    const target = (counts.byCollection[collection] ??= { reads: 0, writes: 0, deletes: 0 });
    target.reads += row.reads;
    target.writes += row.writes;
    target.deletes += row.deletes;
  }
}

const bump = (record, key) => {
  record[key] = (record[key] ?? 0) + 1;
};

function deadlineOf(call) {
  const deadline = call.getDeadline();
  return deadline instanceof Date || (typeof deadline === 'number' && Number.isFinite(deadline)) ? { deadline } : {};
}

/**
 * Starts the proxy. `listeners`: [{ port, caller }] where caller is 'functions' (each connection
 * named after its function worker) or any fixed label. `labelFor(functionName)` may refine a
 * function's label per call (the schedule runSchedule is running). Resolves once every port listens.
 */
export async function startCountingProxy({ upstream, listeners, labelFor = (name) => name }) {
  const methods = firestoreMethods();
  const client = new grpc.Client(upstream, grpc.credentials.createInsecure(), UNLIMITED);
  /** label -> counts */
  const counts = new Map();
  const peers = new Map();
  const countsOf = (label) => {
    if (!counts.has(label)) counts.set(label, emptyCounts());
    return counts.get(label);
  };

  function callerOf(call, listener) {
    if (listener.caller !== 'functions') return listener.caller;
    const peer = call.getPeer();
    if (!peers.has(peer)) peers.set(peer, functionOfPeer(peer, listener.port));
    return labelFor(peers.get(peer).name);
  }

  function settle(label, method, requests, responses, error) {
    const target = countsOf(label);
    bump(target.rpcs, method);
    if (error) bump(target.failedRpcs, `${method} ${grpc.status[error.code] ?? error.code}`);
    addBill(target, billOf(method, requests, responses, !error));
  }

  function implementation(listener) {
    const handlers = {};
    for (const [name, method] of Object.entries(methods)) {
      if (!method.requestStream && !method.responseStream) {
        handlers[name] = (call, callback) => {
          const label = callerOf(call, listener);
          client.makeUnaryRequest(method.path, raw, raw, call.request, call.metadata, deadlineOf(call), (error, response) => {
            settle(label, name, [call.request], response ? [response] : [], error);
            callback(error, response);
          });
        };
      } else if (!method.requestStream) {
        handlers[name] = (call) => {
          const label = callerOf(call, listener);
          const responses = [];
          const upstreamCall = client.makeServerStreamRequest(method.path, raw, raw, call.request, call.metadata, deadlineOf(call));
          upstreamCall.on('data', (message) => {
            responses.push(message);
            call.write(message);
          });
          upstreamCall.on('error', (error) => {
            settle(label, name, [call.request], responses, error);
            call.emit('error', error);
          });
          upstreamCall.on('end', () => {
            settle(label, name, [call.request], responses, undefined);
            call.end();
          });
          call.on('cancelled', () => upstreamCall.cancel());
        };
      } else {
        // Listen and Write: long-lived, so billed message by message as they pass.
        handlers[name] = (call) => {
          const label = callerOf(call, listener);
          bump(countsOf(label).rpcs, name);
          const upstreamCall = client.makeBidiStreamRequest(method.path, raw, raw, call.metadata, deadlineOf(call));
          call.on('data', (message) => {
            if (name === 'Write') addBill(countsOf(label), billOf(name, [message], [], true));
            upstreamCall.write(message);
          });
          call.on('end', () => upstreamCall.end());
          call.on('cancelled', () => upstreamCall.cancel());
          upstreamCall.on('data', (message) => {
            if (name === 'Listen') addBill(countsOf(label), billOf(name, [], [message], true));
            call.write(message);
          });
          upstreamCall.on('error', (error) => {
            bump(countsOf(label).failedRpcs, `${name} ${grpc.status[error.code] ?? error.code}`);
            call.emit('error', error);
          });
          upstreamCall.on('end', () => call.end());
        };
      }
    }
    return handlers;
  }

  const definition = Object.fromEntries(
    Object.entries(methods).map(([name, method]) => [
      name,
      { ...method, originalName: name, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw },
    ]),
  );
  const servers = [];
  for (const listener of listeners) {
    const server = new grpc.Server(UNLIMITED);
    server.addService(definition, implementation(listener));
    await new Promise((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${listener.port}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
    );
    servers.push(server);
  }

  return {
    /** A deep copy of every caller's counts now: label -> { reads, writes, deletes, rpcs, failedRpcs, byCollection }. */
    snapshot: () => structuredClone(Object.fromEntries(counts)),
    /** Function workers seen: peer -> { pid, name }. */
    workers: () => Object.fromEntries(peers),
    async stop() {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.tryShutdown(() => resolve()))));
      client.close();
    },
  };
}

/** What happened between two snapshots: label -> counts (labels absent before count from zero). */
export function countsBetween(before, after) {
  const out = {};
  for (const [label, now] of Object.entries(after)) {
    const then = before[label] ?? emptyCounts();
    const diff = (a, b) =>
      Object.fromEntries(
        Object.entries(a)
          .map(([key, value]) => [key, value - (b[key] ?? 0)])
          .filter(([, value]) => value !== 0),
      );
    const byCollection = {};
    for (const [collection, row] of Object.entries(now.byCollection)) {
      const old = then.byCollection[collection] ?? { reads: 0, writes: 0, deletes: 0 };
      const delta = { reads: row.reads - old.reads, writes: row.writes - old.writes, deletes: row.deletes - old.deletes };
      if (delta.reads || delta.writes || delta.deletes) byCollection[collection] = delta;
    }
    out[label] = {
      reads: now.reads - then.reads,
      writes: now.writes - then.writes,
      deletes: now.deletes - then.deletes,
      rpcs: diff(now.rpcs, then.rpcs),
      failedRpcs: diff(now.failedRpcs, then.failedRpcs),
      byCollection,
    };
  }
  return out;
}
