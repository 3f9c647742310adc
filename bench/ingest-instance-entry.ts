// Bundled by bench/lib/instance-probe.mjs (esbuild) and imported once per simulated ingest instance:
// the real ingestReport, with its module state (the agent cache, the refused keys) its own.
export { ingestReport } from '../functions/src/ingest/ingest-report.js';
