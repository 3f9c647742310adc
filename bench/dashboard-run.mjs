#!/usr/bin/env node
// The dashboard benchmark proper. It runs INSIDE the emulators (auth, firestore, hosting); start it
// with `node bench/dashboard.mjs`, which builds web/out and wraps this file in the harness:
//   node scripts/emulators.mjs exec --only auth,firestore,hosting -- node bench/dashboard-run.mjs [options]
//
// Options: --agents N (500)  --events E (300)  --loads L (7)  --warmup W (2)  --summary-file PATH
//
// Phases, all in one run:
//   1. seed (Admin SDK, rules bypassed, one BulkWriter): one Auth-emulator user, its address
//      verified (as a returning user's is: no verification banner), who owns one workspace
//      (users/{uid}, the workspace with default settings, the member document, as
//      bootstrapWorkspace and its trigger leave them), N agents shaped as ingest leaves them (status
//      mix, host facts, summary, 48 hourly testsHistory buckets, agent health, receipt sequence,
//      clock skew, offlineAt and changedAt) and E events of every kind, some acknowledged. Then the
//      real summarizeFleets handler (functions/src/summary/, bundled by esbuild and called in this
//      process) writes the fleet summary the overview reads, as its every-minute schedule would.
//   2. sign in once through the form; keep the session (Firebase Auth keeps it in IndexedDB).
//   3. measure, alternating the two pages load by load so noise falls on both: the overview `/`
//      (signed in) and the baseline, the sign-in page (signed out). Every load is cold: a new browser
//      context (empty HTTP cache), the session restored into it. An init script notes when the
//      content first appears in the DOM (the next animation frame after it was inserted), on the
//      page's own clock (ms since navigation start): the overview's figures and its latest events;
//      the sign-in form's button. The session carries what the dashboard remembers in localStorage
//      (the workspace last open), as a returning browser's would; a third series loads the overview
//      without it, as a signed-in user's first visit in a new browser (one round trip more: the
//      profile names the workspace). After each overview load: the page's read counter
//      (window.__vigilReads, kept by web/src/lib/data/read-counter.ts) gives the documents read;
//      the DevTools protocol's Network events give the bytes the page received (all of it, and what
//      came from the Firestore emulator) and the scripts it fetched before its content appeared.
//   4. first-load JavaScript: every script the exported HTML of `/` (and of /signin/) references, as
//      served from web/out, gzip -9 and brotli, summed; and the scripts the overview fetched before
//      its content appeared (the lazily loaded data layer among them), gzip -9, from the same files.
//   The machine's load average (os.loadavg) is printed at the start and end of the measured loads.
import { gzipSync, brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { build } from 'esbuild';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { FieldValue, getFirestore, Timestamp } from 'firebase-admin/firestore';
import { chromium } from 'playwright-core';
import { chromiumPath } from '../scripts/lib/chromium.mjs';
import { ascending, fmt, integerOption, median, PROJECT_ID, signUp, verdict } from './bench-lib.mjs';
import { schemaValues } from './schema-values.mjs';

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const OUT_DIR = path.join(REPO_ROOT, 'web', 'out');
const DASHBOARD = 'http://127.0.0.1:5000';
const TARGET_MS = 1500;
/** The budget: reads per overview load, whatever the fleet's size. */
const TARGET_READS = 10;
const TARGET_JS_KB = 350;
/** What the overview reads: users/{uid}, the member, the workspace, the fleet summary, the 5 newest events, 1 count. */
const EXPECTED_READS = 10;
const LOAD_TIMEOUT_MS = 60_000;

const { values: opts } = parseArgs({
  options: {
    agents: { type: 'string', default: '500' },
    events: { type: 'string', default: '300' },
    loads: { type: 'string', default: '7' },
    warmup: { type: 'string', default: '2' },
    'summary-file': { type: 'string' },
  },
});
const AGENTS = integerOption(opts, 'agents');
const EVENTS = integerOption(opts, 'events');
const LOADS = integerOption(opts, 'loads');
const WARMUP = integerOption(opts, 'warmup');

if (!process.env.FIRESTORE_EMULATOR_HOST) {
  console.error('FIRESTORE_EMULATOR_HOST is not set: run `node bench/dashboard.mjs` (it starts the emulators).');
  process.exit(2);
}

const log = (...parts) => console.log('[bench]', ...parts);

// ---- Seed ------------------------------------------------------------------------------------

/** A small deterministic PRNG (mulberry32): the same fleet every run. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// What the seed draws from comes from the schema itself, so seeded documents stay valid as it changes.
const { SOLUTION_CATALOG, EVENT_KINDS, DEFAULT_NOTIFICATION_PREFERENCES } = await schemaValues();
const SOLUTIONS = Object.keys(SOLUTION_CATALOG);
const OSES = ['Debian GNU/Linux 12 (bookworm)', 'Ubuntu 24.04.1 LTS', 'Ubuntu 22.04.4 LTS', 'Rocky Linux 9.4 (Blue Onyx)'];

function agentDocument(index, now, rand) {
  const roll = rand();
  const status = roll < 0.85 ? 'online' : roll < 0.95 ? 'offline' : 'never-seen';
  const seen = status !== 'never-seen';
  const solutions = SOLUTIONS.filter(() => rand() < 0.45).slice(0, 8);
  const tests = solutions.length * 4;
  const failed = rand() < 0.2 ? 1 + Math.floor(rand() * 3) : 0;
  const lastSeenMs = now - (status === 'online' ? rand() * 300_000 : 3_600_000 + rand() * 86_400_000);
  const hour = (offset) => {
    const date = new Date(now - offset * 3_600_000);
    date.setUTCMinutes(0, 0, 0);
    return date.toISOString();
  };
  const testsHistory = seen
    ? Array.from({ length: 48 }, (_, offset) => 47 - offset).map((offset) => {
        const failing = rand() < 0.1 ? 1 : 0;
        return { hour: hour(offset), passed: tests - failing, failed: failing };
      })
    : [];
  const keyId = `bench${String(index).padStart(11, '0')}`;
  return {
    name: `host-${String(index).padStart(3, '0')}`,
    description: index % 3 === 0 ? 'Web server behind the load balancer' : '',
    status,
    createdAt: Timestamp.fromMillis(now - 30 * 86_400_000),
    createdBy: 'bench',
    intervalSeconds: 300,
    keyId,
    keyPrefix: `vgl_${keyId.slice(0, 8)}…`,
    revokedAt: null,
    lastSeenAt: seen ? Timestamp.fromMillis(lastSeenMs) : null,
    lastReportId: seen ? `r-${index}-latest` : null,
    lastCollectedAt: seen ? new Date(lastSeenMs).toISOString() : null,
    agentVersion: seen ? '0.1.0' : null,
    host: seen ? { hostname: `host-${index}.example.net`, os: OSES[index % OSES.length], kernel: '6.1.0-25-amd64', arch: 'x86_64' } : null,
    summary: { solutions, testsPassed: seen ? tests - failed : 0, testsFailed: seen ? failed : 0 },
    failedTestThreshold: 1,
    testsHistory,
    health: seen
      ? {
          version: '0.1.0',
          uptimeSeconds: Math.floor(rand() * 2_000_000),
          plugins: solutions.map((id) => ({ id, status: 'found', durationMs: Math.floor(rand() * 900) })),
          pluginErrors: 0,
          spool: { reports: 0, bytes: 0, dropped: 0 },
        }
      : null,
    ingestBudget: { tokens: 30, updatedAtMs: now },
    // As ingest leaves a live report's agent: its receipt count and measured clock skew (a few
    // seconds either way). Derived from the index, so the fleet drawn above stays the same.
    ...(seen ? { receiptSequence: 1000 + index, clockSkewSeconds: (index % 5) - 2 } : {}),
    // The silence deadline ingest sets (three intervals after the last report); none once offline.
    offlineAt: status === 'online' ? Timestamp.fromMillis(lastSeenMs + 900_000) : null,
  };
}

function eventDocument(index, agents, now, rand) {
  const agent = agents[index % agents.length];
  const kind = EVENT_KINDS[index % EVENT_KINDS.length];
  const solution = agent.doc.summary.solutions[0] ?? 'sshd';
  const details =
    kind === 'test_failed' || kind === 'test_recovered'
      ? { tests: [{ solutionId: solution, testId: 'service-running', type: 'operational', message: 'the service is not running' }] }
      : kind === 'config_changed'
        ? { changes: [{ solutionId: solution, key: 'maxretry', before: 5, after: 3 }] }
        : kind === 'agent_offline'
          ? { lastSeenAt: new Date(now - 3_600_000).toISOString(), missedIntervals: 12 }
          : kind === 'agent_online'
            ? {}
            : { solutions: [solution] };
  const acknowledged = rand() < 0.6;
  return {
    kind,
    agentId: agent.id,
    agentName: agent.doc.name,
    hostname: agent.doc.host?.hostname ?? null,
    solutionIds: kind.startsWith('agent_') ? [] : [solution],
    reportId: `r-${index}`,
    createdAt: Timestamp.fromMillis(now - index * 60_000),
    details,
    acknowledgedAt: acknowledged ? Timestamp.fromMillis(now - index * 30_000) : null,
    acknowledgedBy: acknowledged ? 'bench' : null,
    email: { state: 'sent', at: Timestamp.fromMillis(now - index * 60_000), error: null, recipients: 1 },
  };
}

/** The real summarizeFleets handler, bundled from functions/src (bench/dashboard-entry.ts). */
async function loadSummarizeFleets() {
  const outfile = path.join(REPO_ROOT, 'bench', '.build', 'dashboard-bench.mjs');
  await build({
    entryPoints: [path.join(REPO_ROOT, 'bench', 'dashboard-entry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The SDKs stay external, so the handler shares this process's firebase-admin app.
    external: ['firebase-admin', 'firebase-admin/*', 'firebase-functions', 'firebase-functions/*', '@google-cloud/firestore', 'zod'],
    logLevel: 'warning',
  });
  return (await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`)).summarizeFleets;
}

async function seed() {
  const app = getApps()[0] ?? initializeApp({ projectId: PROJECT_ID });
  const db = getFirestore(app);
  const user = await signUp('bench-dashboard');
  // Verified, as by opening the link: a returning user's dashboard shows no verification banner.
  await getAuth(app).updateUser(user.uid, { emailVerified: true });
  const workspaceRef = db.collection('workspaces').doc();
  const ws = workspaceRef.id;
  const now = Date.now();
  const rand = random(6);
  const writer = db.bulkWriter();
  // Each write's promise is caught and counted (close() waits for them all, and rejects for none):
  // a seed with a failed write is no fleet of the size asked for.
  let failed = 0;
  let firstFailure;
  const write = (ref, data) => {
    writer.set(ref, data).catch((error) => {
      failed += 1;
      firstFailure ??= error;
    });
  };
  write(workspaceRef, {
    name: 'Benchmark fleet',
    createdAt: FieldValue.serverTimestamp(),
    createdBy: user.uid,
    settings: { retentionDays: 30, reportingIntervalSeconds: 300, failedTestThreshold: 1 },
  });
  write(db.doc(`workspaces/${ws}/members/${user.uid}`), {
    role: 'owner',
    email: user.email,
    joinedAt: FieldValue.serverTimestamp(),
    notifications: DEFAULT_NOTIFICATION_PREFERENCES,
  });
  write(db.doc(`users/${user.uid}`), { email: user.email, personalWorkspaceId: ws, workspaces: { [ws]: 'owner' } });
  // Generated and written one at a time (100,000 documents are not all held at once); the events
  // name the first agents only.
  const named = [];
  let bytes = 0;
  let online = 0;
  for (let index = 0; index < AGENTS; index += 1) {
    const agent = { id: `bench-agent-${String(index).padStart(6, '0')}`, doc: agentDocument(index, now, rand) };
    if (named.length < EVENTS) named.push(agent);
    bytes += JSON.stringify(agent.doc).length;
    if (agent.doc.status === 'online') online += 1;
    write(db.doc(`workspaces/${ws}/agents/${agent.id}`), { ...agent.doc, changedAt: FieldValue.serverTimestamp() });
    // Let the writer drain now and then, so the queue of pending writes stays short.
    if (index % 5000 === 4999) await writer.flush();
  }
  for (let index = 0; index < EVENTS; index += 1)
    write(db.doc(`workspaces/${ws}/events/bench-event-${index}`), eventDocument(index, named, now, rand));
  await writer.close();
  if (failed > 0) throw new Error(`seeding failed: ${failed} writes were refused (first: ${firstFailure?.message ?? firstFailure})`);
  return { user, ws, agentBytes: bytes, online };
}

// ---- Browser -----------------------------------------------------------------------------------

// Runs in every page before its own scripts: note, on the page's clock, when each target first
// appears in the DOM (the animation frame after its insertion, when it is painted).
const MARK_SCRIPT = `
(() => {
  const targets = {
    stats: '[data-testid="overview-stats"]',
    events: '[data-testid="latest-events"]',
    signin: 'form[aria-label="Sign in to Vigil"] button[type="submit"]',
  };
  const marks = (window.__benchMarks = {});
  const check = () => {
    for (const [name, selector] of Object.entries(targets)) {
      if (marks[name] === undefined && document.querySelector(selector)) {
        marks[name] = null;
        requestAnimationFrame(() => { marks[name] = performance.now(); });
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true });
})();
`;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function newContext(browser, storageState) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...(storageState ? { storageState } : {}) });
  await context.addInitScript(MARK_SCRIPT);
  return context;
}

async function signInOnce(browser, user) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${DASHBOARD}/signin/`);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('overview-stats').waitFor({ timeout: LOAD_TIMEOUT_MS });
  // Firebase Auth keeps the session in IndexedDB: carry it into every measured context.
  const state = await context.storageState({ indexedDB: true });
  await context.close();
  return state;
}

/** The session without what the dashboard remembers in localStorage: a first visit in this browser. */
function withoutHints(session) {
  return { ...session, origins: session.origins.map((origin) => ({ ...origin, localStorage: [] })) };
}

const FIRESTORE_HOST = process.env.FIRESTORE_EMULATOR_HOST;

/**
 * What the page receives, from the DevTools protocol's Network events: bytes per request (the
 * encoded length when the response finished, else what arrived so far: Firestore's listen channel
 * is a long poll that stays open), which of them came from the Firestore emulator, and the scripts
 * requested, with the time each was.
 */
async function trackNetwork(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', ({ requestId, request, type }) => {
    const url = new URL(request.url);
    requests.set(requestId, { url, script: type === 'Script', at: performance.now(), received: 0, finished: null });
  });
  cdp.on('Network.dataReceived', ({ requestId, encodedDataLength, dataLength }) => {
    const request = requests.get(requestId);
    // Chromium reports some chunks' encoded length as 0 until the end: count the decoded bytes then.
    if (request) request.received += encodedDataLength || dataLength;
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const request = requests.get(requestId);
    if (request) request.finished = encodedDataLength;
  });
  const bytes = (filter) => [...requests.values()].filter(filter).reduce((sum, request) => sum + (request.finished ?? request.received), 0);
  return {
    totals: () => ({
      pageBytes: bytes(() => true),
      firestoreBytes: bytes((request) => request.url.host === FIRESTORE_HOST),
      requests: requests.size,
    }),
    /** Same-origin scripts requested before `time` (performance.now of this process), by path. */
    scriptsBefore: (time) =>
      [...requests.values()]
        .filter((request) => request.script && request.at <= time && request.url.origin === DASHBOARD)
        .map((request) => request.url.pathname),
  };
}

async function loadOverview(browser, session) {
  const context = await newContext(browser, session);
  const page = await context.newPage();
  const network = await trackNetwork(page);
  const errors = [];
  const consoleErrors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  const started = performance.now();
  await page.goto(`${DASHBOARD}/`);
  try {
    await page.waitForFunction(() => typeof window.__benchMarks?.stats === 'number' && typeof window.__benchMarks?.events === 'number', null, {
      timeout: LOAD_TIMEOUT_MS,
      polling: 50,
    });
  } catch (error) {
    // Say what the page showed instead, so a failed run is diagnosable from its output alone.
    const seen = await page.evaluate(() => ({ marks: window.__benchMarks, text: document.body?.innerText?.slice(0, 400) ?? '' })).catch(() => ({}));
    await context.close();
    throw new Error(
      `the overview's content did not appear in ${LOAD_TIMEOUT_MS / 1000} s at ${page.url()}: marks ${JSON.stringify(seen.marks)}; ` +
        `page errors ${JSON.stringify(errors)}; console errors ${JSON.stringify(consoleErrors.slice(0, 5))}; page text ${JSON.stringify(seen.text)}`,
      { cause: error },
    );
  }
  const contentAt = performance.now();
  const wallMs = contentAt - started;
  const scriptsBeforeContent = network.scriptsBefore(contentAt);
  // The open-events count arrives last (an aggregation after the events): then every read is in.
  await page.waitForFunction(() => !document.querySelector('[data-testid="stat-open-events"]')?.textContent?.includes('…'), null, {
    timeout: LOAD_TIMEOUT_MS,
  });
  const result = await page.evaluate(() => ({
    marks: window.__benchMarks,
    reads: window.__vigilReads ?? null,
    domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd ?? null,
    milestones: Object.fromEntries(
      performance
        .getEntriesByType('mark')
        .filter((mark) => mark.name.startsWith('vigil:'))
        .map((mark) => [mark.name.slice(6), mark.startTime]),
    ),
  }));
  const bytes = network.totals();
  await context.close();
  if (errors.length) throw new Error(`the overview threw: ${errors.join('; ')}`);
  return { visibleMs: Math.max(result.marks.stats, result.marks.events), wallMs, bytes, scriptsBeforeContent, ...result };
}

async function loadSignIn(browser) {
  const context = await newContext(browser);
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${DASHBOARD}/signin/`);
  await page.waitForFunction(() => typeof window.__benchMarks?.signin === 'number', null, { timeout: LOAD_TIMEOUT_MS, polling: 50 });
  const wallMs = performance.now() - started;
  const marks = await page.evaluate(() => window.__benchMarks);
  await context.close();
  return { visibleMs: marks.signin, wallMs };
}

// ---- First-load JavaScript ---------------------------------------------------------------------

function firstLoadJs(htmlFile) {
  const html = readFileSync(path.join(OUT_DIR, htmlFile), 'utf8');
  return scriptSizes([...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]));
}

/** The scripts at these paths (as web/out serves them), raw, gzip -9 and brotli 11, summed. */
function scriptSizes(paths) {
  const sources = [...new Set(paths)];
  let raw = 0;
  let gzip = 0;
  let brotli = 0;
  for (const source of sources) {
    const file = readFileSync(path.join(OUT_DIR, decodeURIComponent(source.split('?')[0])));
    raw += file.length;
    gzip += gzipSync(file, { level: 9 }).length;
    brotli += brotliCompressSync(file, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { scripts: sources.length, raw, gzip, brotli };
}

// ---- Run ---------------------------------------------------------------------------------------

const kb = (bytes) => `${fmt(bytes / 1024)} KB`;

/** auth restored, data layer loaded, profile, member, the fleet summary's and the latest events' first snapshots: medians. */
function milestoneLine(loads) {
  const names = [...new Set(loads.flatMap((load) => Object.keys(load.milestones ?? {})))];
  const medians = names.map((name) => [name, median(loads.map((load) => load.milestones?.[name]).filter(Number.isFinite))]);
  return medians
    .sort((a, b) => a[1] - b[1])
    .map(([name, ms]) => `${name} ${fmt(ms, 0)}`)
    .join(', ');
}

log(`seeding ${AGENTS} agents and ${EVENTS} events…`);
const seedStarted = performance.now();
const seeded = await seed();
const seedSeconds = (performance.now() - seedStarted) / 1000;
log(`seeded in ${fmt(seedSeconds)} s (agent documents: ${kb(seeded.agentBytes)} of JSON)`);
log('computing the fleet summary (summarizeFleets, in this process)…');
const summarizeFleets = await loadSummarizeFleets();
const summaryStarted = performance.now();
const summarized = await summarizeFleets(Date.now());
const summarySeconds = (performance.now() - summaryStarted) / 1000;
if (summarized.written < 1 || summarized.leftOver > 0) throw new Error(`summarizeFleets wrote no summary: ${JSON.stringify(summarized)}`);
log(`summary computed in ${fmt(summarySeconds)} s (${JSON.stringify(summarized)})`);

// Another process's `npm run build -w web` (the browser tests build before they take the emulator
// lock) replaces web/out under the Hosting emulator mid-run, and pages then miss their chunks.
// Detected, not prevented: the mtime of the exported index.html, now and at the end.
const exportStamp = () => {
  const index = path.join(OUT_DIR, 'index.html');
  return existsSync(index) ? statSync(index).mtimeMs : 0;
};
const exportAtStart = exportStamp();
const exportRebuilt = () => exportStamp() !== exportAtStart;
const REBUILT_WARNING = 'WARNING: web/out was rebuilt during the run (by another process): loads may have missed their scripts; run again.';

let loadAtStart = loadavg();
const browser = await chromium.launch({ executablePath: chromiumPath() ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const overview = [];
const signin = [];
const firstVisit = [];
try {
  const session = await signInOnce(browser, seeded.user);
  loadAtStart = loadavg();
  log(`warm-up: ${WARMUP} loads of each page…`);
  for (let i = 0; i < WARMUP; i += 1) {
    await loadOverview(browser, session);
    await loadSignIn(browser);
  }
  for (let i = 0; i < LOADS; i += 1) {
    // Alternate which page goes first, so a burst of noise does not fall on one of them only.
    if (i % 2 === 0) {
      overview.push(await loadOverview(browser, session));
      signin.push(await loadSignIn(browser));
    } else {
      signin.push(await loadSignIn(browser));
      overview.push(await loadOverview(browser, session));
    }
    // Also a signed-in first visit in a new browser: no remembered workspace, so the profile is read first.
    firstVisit.push(await loadOverview(browser, withoutHints(session)));
    const last = overview.at(-1);
    log(
      `load ${i + 1}/${LOADS}: overview visible at ${fmt(last.visibleMs, 0)} ms (${last.reads?.reads ?? '?'} reads, ${kb(last.bytes.firestoreBytes)} from Firestore), sign-in at ${fmt(signin.at(-1).visibleMs, 0)} ms`,
    );
  }
} catch (error) {
  if (exportRebuilt()) console.error(`[bench] ${REBUILT_WARNING}`);
  throw error;
} finally {
  await browser.close();
}

const loadAtEnd = loadavg();
const js = firstLoadJs('index.html');
const jsSignin = firstLoadJs(path.join('signin', 'index.html'));
// The scripts the overview fetched before its content appeared: the HTML's and the chunks loaded on
// the way (the data layer with the Firestore SDK, the page's own). The union over the loads.
const beforeContent = scriptSizes(overview.flatMap((load) => load.scriptsBeforeContent));
const visible = ascending(overview.map((load) => load.visibleMs));
const visibleFirst = ascending(firstVisit.map((load) => load.visibleMs));
const baseline = ascending(signin.map((load) => load.visibleMs));
const ratios = ascending(overview.map((load, index) => load.visibleMs / signin[index].visibleMs));
const loads = [...overview, ...firstVisit];
const reads = loads.map((load) => load.reads?.reads ?? NaN);
const documents = loads.map((load) => load.reads?.documents ?? NaN);
const maxReads = Math.max(...reads);
const firestoreBytes = median(loads.map((load) => load.bytes.firestoreBytes));
const pageBytes = median(loads.map((load) => load.bytes.pageBytes));
const load3 = (avg) => avg.map((value) => fmt(value, 2)).join(' ');

const lines = [
  `=== dashboard benchmark: ${AGENTS} agents (${seeded.online} online), ${EVENTS} events, ${LOADS} cold loads each (+${WARMUP} warm-up) ===`,
  '',
  `seeding: ${fmt(seedSeconds)} s (BulkWriter, ${kb(seeded.agentBytes)} of agent JSON); fleet summary (summarizeFleets): ${fmt(summarySeconds)} s`,
  `load average (1, 5, 15 min; ${cpus().length} cores) when the loads started ${load3(loadAtStart)}, at the end ${load3(loadAtEnd)}`,
  '',
  'time until content is visible (ms since navigation start, on the page clock; cold context each load):',
  `  overview /          median ${fmt(median(visible), 0)}  min ${fmt(visible[0], 0)}  max ${fmt(visible.at(-1), 0)}   target < ${TARGET_MS}: ${verdict(median(visible) < TARGET_MS)}`,
  `  overview, first visit in this browser (no remembered workspace)   median ${fmt(median(visibleFirst), 0)}  min ${fmt(visibleFirst[0], 0)}  max ${fmt(visibleFirst.at(-1), 0)}`,
  `  baseline /signin/   median ${fmt(median(baseline), 0)}  min ${fmt(baseline[0], 0)}  max ${fmt(baseline.at(-1), 0)}`,
  `  ratio overview/baseline, per pair: median ${fmt(median(ratios), 2)}  min ${fmt(ratios[0], 2)}  max ${fmt(ratios.at(-1), 2)}`,
  `  overview DOMContentLoaded median ${fmt(median(overview.map((load) => load.domContentLoaded ?? NaN)), 0)} ms; wall time per load (goto to content, Node clock) median ${fmt(median(overview.map((load) => load.wallMs)), 0)} ms`,
  `  overview milestones, median ms (performance.mark by the dashboard): ${milestoneLine(overview)}`,
  '',
  'Firestore reads per overview load (window.__vigilReads: documents delivered by gets and listeners, 1 per empty query, 1 per count):',
  `  reads ${[...new Set(reads)].join(', ')} (documents ${[...new Set(documents)].join(', ')}); expected ${EXPECTED_READS} (profile, member, workspace, fleet summary, 5 events, open-events count)`,
  `  target <= ${TARGET_READS} whatever the fleet size: ${verdict(maxReads <= TARGET_READS)}`,
  `  breakdown of the last load: ${JSON.stringify(overview.at(-1)?.reads)}`,
  '',
  'bytes per overview load (DevTools Network events, until the open-events count arrived; median):',
  `  from Firestore ${kb(firestoreBytes)}; the whole page ${kb(pageBytes)} (HTML, scripts, styles, Auth, Firestore)`,
  '',
  'first-load JavaScript (from web/out, gzip -9 / brotli 11):',
  `  /          ${js.scripts} scripts the HTML references, ${kb(js.raw)} raw, ${kb(js.gzip)} gzip, ${kb(js.brotli)} brotli   target < ${TARGET_JS_KB} KB compressed: ${verdict(js.gzip / 1024 < TARGET_JS_KB)}`,
  `  /, before its content appeared (the HTML's scripts and the chunks loaded on the way, the data layer among them): ${beforeContent.scripts} scripts, ${kb(beforeContent.raw)} raw, ${kb(beforeContent.gzip)} gzip, ${kb(beforeContent.brotli)} brotli`,
  `  /signin/   ${jsSignin.scripts} scripts, ${kb(jsSignin.raw)} raw, ${kb(jsSignin.gzip)} gzip, ${kb(jsSignin.brotli)} brotli`,
  ...(exportRebuilt() ? ['', REBUILT_WARNING] : []),
];
const summary = lines.join('\n');
console.log(`\n${summary}\n`);
if (opts['summary-file']) writeFileSync(path.resolve(REPO_ROOT, opts['summary-file']), `${summary}\n`);
const consistent = reads.every((value) => value === reads[0]);
if (!consistent) console.log('[bench] note: the read count differed between loads (a listener update during a load?)');
process.exit(!Number.isFinite(maxReads) ? 1 : exportRebuilt() ? 4 : 0);
