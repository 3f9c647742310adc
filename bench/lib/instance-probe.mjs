// One agent's reports spread over k ingest instances, as deployed: Cloud Run sends each request to
// any instance, so the one a report reaches has usually not seen the agent's last report (its
// cached copy of the agent document is stale) and, without a ticket, reads the agent. Each instance
// here is its own import of the real handler (bench/ingest-instance-entry.ts bundled by esbuild:
// its own agent cache and refused keys; the Firestore SDK and its emulator shared), called
// in-process; the reports go round robin, so every report reaches an instance whose copy is stale.
// Sent with the ticket of the previous reply, as the agent sends it, and without (the baseline).
// The caller counts each call's reads (the in-process RPC counters, or the fleet run's proxy).
import { build } from 'esbuild';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

// firebase-functions' logger captures console.* when it loads (with the first instance): wrapped
// first, so each call's "report accepted" line can be silenced.
let quiet = false;
for (const method of ['debug', 'info', 'log', 'warn']) {
  const original = console[method].bind(console);
  console[method] = (...args) => {
    if (!quiet) original(...args);
  };
}

/** `count` instances of ingestReport, each its own module. */
export async function loadIngestInstances({ benchDir, buildDir, count }) {
  const outfile = path.join(buildDir, 'ingest-instance.mjs');
  await build({
    entryPoints: [path.join(benchDir, 'ingest-instance-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The SDKs stay external: every instance shares the one firebase-admin app and its Firestore.
    external: ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*', '@google-cloud/firestore', 'zod'],
    logLevel: 'warning',
  });
  const url = pathToFileURL(outfile).href;
  const stamp = Date.now();
  return Promise.all(Array.from({ length: count }, (_, i) => import(`${url}?instance=${stamp}-${i}`).then((module) => module.ingestReport)));
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
};

/**
 * Sends `reports` (live, unchanged content) of the agent with `key` round robin over `instances`,
 * after one warm-up round that lets every instance read the key (one read per key per instance
 * lifetime) and count the project's agents (once an instance an hour, fleet-size.ts): neither is
 * counted. `countReads(run)` runs one call and returns its reads. Returns the reads per report, the
 * handler's median milliseconds, and the tickets' lengths.
 */
export async function spreadOverInstances({ instances, key, nextReport, reports, withTickets, countReads }) {
  let ticket;
  const call = async (instance) => {
    const headers = { 'x-vigil-key': key, ...(withTickets && ticket ? { 'x-vigil-ticket': ticket } : {}) };
    const started = performance.now();
    quiet = true;
    try {
      const reply = await instance({ rawRequest: { headers }, data: nextReport(), acceptsStreaming: false });
      if (reply?.accepted !== true || reply.duplicate !== false) throw new Error(`not accepted: ${JSON.stringify(reply)}`);
      ticket = reply.ticket;
      return { ms: performance.now() - started, ticketChars: reply.ticket?.length ?? 0 };
    } finally {
      quiet = false;
    }
  };
  for (const instance of instances) await call(instance);
  const reads = [];
  const ms = [];
  const ticketChars = [];
  for (let i = 0; i < reports; i += 1) {
    const instance = instances[i % instances.length];
    let result;
    reads.push(await countReads(async () => (result = await call(instance))));
    ms.push(result.ms);
    ticketChars.push(result.ticketChars);
  }
  return {
    reports,
    readsPerReport: reads.reduce((a, b) => a + b, 0) / reports,
    readsMin: Math.min(...reads),
    readsMax: Math.max(...reads),
    medianMs: median(ms),
    ticketChars: { median: median(ticketChars), max: Math.max(...ticketChars) },
  };
}
