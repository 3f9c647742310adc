// The phase function ingest's replies follow (functions/src/ingest/report-phase.ts), bundled by
// esbuild so the cost model simulates the fleet's arrivals from the very code that sets them.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const BENCH_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const REPO_ROOT = path.dirname(BENCH_DIR);

/** { reportPhaseSeconds, REPORT_WINDOW_SECONDS } from the repository's current report-phase.ts. */
export async function loadReportPhase() {
  const outDir = path.join(BENCH_DIR, '.build');
  mkdirSync(outDir, { recursive: true });
  const outfile = path.join(outDir, 'report-phase.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'functions', 'src', 'ingest', 'report-phase.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}
