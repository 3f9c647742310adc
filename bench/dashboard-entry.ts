// Bundled by bench/dashboard-run.mjs (esbuild, to bench/.build/dashboard-bench.mjs) and loaded
// in-process under the emulators: the real summarizeFleets handler from functions/src, run once after
// seeding so the overview opens on the fleet summary it reads (the schedule runs every minute when
// deployed). It shares the benchmark's Admin SDK app (functions/src/firebase/admin.ts takes the
// first one). The SDKs stay external, as in alerts-entry.ts.
export { summarizeFleets } from '../functions/src/summary/summarize-fleets.js';
