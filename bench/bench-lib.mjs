// Small helpers shared by bench/alerts-run.mjs and bench/retention-run.mjs (both run inside the
// emulator harness): HTTP callables, Auth-emulator sign-up, the emulator hub's trigger switch, an
// idle-CPU wait, percentiles and formatting. No dependencies beyond Node.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const PROJECT_ID = process.env.GCLOUD_PROJECT || 'demo-vigil';
export const FUNCTIONS_ORIGIN = `http://127.0.0.1:5001/${PROJECT_ID}/us-central1`;
export const AUTH_ORIGIN = `http://${process.env.FIREBASE_AUTH_EMULATOR_HOST || '127.0.0.1:9099'}`;
export const HUB_ORIGIN = `http://${process.env.FIREBASE_EMULATOR_HUB || '127.0.0.1:4400'}`;
export const MAIL_SINK = 'http://127.0.0.1:8025';

/** An integer option from parseArgs' values, at least `min`; a clear usage error (exit 2) otherwise. */
export function integerOption(values, name, min = 1) {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min) {
    console.error(`--${name} must be an integer >= ${min}, got ${values[name]}`);
    process.exit(2);
  }
  return value;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One callable request over HTTP. `ms` covers send to last byte; `repliedAt` is the wall clock then. */
export async function callHttp(name, data, headers = {}) {
  const body = JSON.stringify({ data });
  const started = performance.now();
  let status = 0;
  let text = '';
  try {
    const response = await fetch(`${FUNCTIONS_ORIGIN}/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    text = String(error?.cause ?? error);
  }
  const repliedAt = Date.now();
  const ms = performance.now() - started;
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, ms, repliedAt, json, text, bytes: body.length };
}

export function describeFailure(reply) {
  if (reply.status === 0) return `network: ${reply.text.slice(0, 120)}`;
  const error = reply.json?.error;
  if (error) return `HTTP ${reply.status} ${error.status}: ${String(error.message).slice(0, 120)}`;
  return `HTTP ${reply.status}: ${reply.text.slice(0, 120)}`;
}

export async function callAs(idToken, name, data) {
  const reply = await callHttp(name, data, { authorization: `Bearer ${idToken}` });
  if (reply.status !== 200) throw new Error(`${name} failed: ${describeFailure(reply)}`);
  return reply.json.result;
}

/**
 * createAgent, then the host's side of its install command: createAgent hands out a single-use
 * enrollment token bound to the new agent (no key), which enrollAgent exchanges for the agent's key
 * as `install.sh --token` does (header ENROLLMENT_TOKEN_HEADER, schema/src/constants/protocol.ts).
 * Returns createAgent's result with `key`.
 */
export async function createAgentWithKey(idToken, workspaceId, name) {
  const created = await callAs(idToken, 'createAgent', { workspaceId, name });
  if (typeof created.token !== 'string') throw new Error('createAgent returned no enrollment token');
  const machineId = createHash('sha256').update(`vigil:bench-${process.pid}-${created.agentId}`).digest('hex');
  const reply = await callHttp('enrollAgent', { machineId, hostname: name }, { 'x-vigil-enrollment-token': created.token });
  const key = reply.json?.result?.key;
  if (reply.status !== 200 || typeof key !== 'string') throw new Error(`enrollAgent with ${name}'s token failed: ${describeFailure(reply)}`);
  return { ...created, key };
}

const BENCH_PASSWORD = 'correct-horse-battery';

/** A fresh Auth-emulator user: its ID token, uid, (lower-case) email and password. */
export async function signUp(prefix = 'bench') {
  const email = `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@vigil.test`.toLowerCase();
  const response = await fetch(`${AUTH_ORIGIN}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD, returnSecureToken: true }),
  });
  const json = await response.json();
  if (!response.ok || !json.idToken) throw new Error(`Auth emulator signUp failed: ${JSON.stringify(json)}`);
  return { idToken: json.idToken, uid: json.localId, email, password: BENCH_PASSWORD };
}

/** Turns the emulated background triggers (onReportCreated, sendEventEmail, …) off or on, through the hub. */
export async function setBackgroundTriggers(on) {
  const action = on ? 'enableBackgroundTriggers' : 'disableBackgroundTriggers';
  const reply = await fetch(`${HUB_ORIGIN}/functions/${action}`, { method: 'PUT' }).catch((error) => error);
  if (!reply?.ok) throw new Error(`could not ${action} through the emulator hub: ${reply?.status ?? reply}`);
}

/** Everything the mail sink accepted so far, oldest first. */
export async function sinkMessages() {
  const response = await fetch(`${MAIL_SINK}/messages`);
  if (!response.ok) throw new Error(`mail sink answered ${response.status}`);
  return response.json();
}

function cpuTimes() {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
  const fields = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + (fields[4] ?? 0);
  return { idle, total: fields.reduce((a, b) => a + b, 0) };
}

/** Busy share of all CPUs (0..1) over the next `ms`; undefined where /proc/stat is missing. */
export async function cpuBusy(ms = 1000) {
  try {
    const before = cpuTimes();
    await sleep(ms);
    const after = cpuTimes();
    const total = after.total - before.total;
    return total > 0 ? 1 - (after.idle - before.idle) / total : undefined;
  } catch {
    return undefined;
  }
}

/**
 * pid -> { ppid, ticks (utime + stime), command } for every process, from /proc; with `withArgs`,
 * also `args`, the whole command line.
 */
export function processTable({ withArgs = false } = {}) {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command (2nd field) is in parentheses and may hold spaces: split after its last ')'.
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      table.set(Number(entry), {
        ppid: Number(fields[1]),
        ticks: Number(fields[11]) + Number(fields[12]),
        command: stat.slice(stat.indexOf('(') + 1, close),
        ...(withArgs ? { args: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') } : {}),
      });
    } catch {
      // exited meanwhile
    }
  }
  return table;
}

/**
 * The emulators this process runs under: the nearest ancestor whose command line is
 * `firebase emulators:exec …` (it hosts the functions emulator and the hub, and starts the
 * Firestore JVM and the function workers). Undefined when not found.
 */
function emulatorRoot() {
  let pid = process.ppid;
  for (let depth = 0; pid > 1 && depth < 10; depth += 1) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes('emulators:exec')) return pid;
      pid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Exits (code 5) if the emulator harness this process runs under goes away (stopped by a signal,
 * say): otherwise this process would go on against whatever emulators next take the fixed ports,
 * another run's. Checked every second; the timer does not keep the process alive.
 */
export function exitWithHarness() {
  const root = emulatorRoot();
  if (root === undefined) return;
  setInterval(() => {
    try {
      process.kill(root, 0);
    } catch {
      console.error(`[bench] the emulator harness (process ${root}) is gone: stopping, so as not to run against another run's emulators.`);
      process.exit(5);
    }
  }, 1000).unref();
}

/** pid -> CPU ticks used so far, for the emulator tree (the root and its descendants, minus this process's own line). */
function emulatorTicks(root) {
  const table = processTable();
  const mine = new Set();
  for (let pid = process.pid; pid > 1 && table.has(pid); pid = table.get(pid).ppid) mine.add(pid);
  const ticks = new Map();
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    if (ticks.has(pid)) continue;
    ticks.set(pid, !mine.has(pid) || pid === root ? (table.get(pid)?.ticks ?? 0) : 0);
    for (const [child, info] of table) if (info.ppid === pid) stack.push(child);
  }
  return ticks;
}

/** Ticks the tree used between two samples: per process, so one that exited meanwhile subtracts nothing. */
function ticksBetween(before, after) {
  let used = 0;
  for (const [pid, ticks] of after) used += Math.max(0, ticks - (before.get(pid) ?? 0));
  return used;
}

/**
 * Waits until the emulators are idle: their process tree (Firestore JVM, functions emulator, function
 * workers) used under `maxCores` of CPU over one second, at most `maxMs`. After a seed, the Firestore
 * emulator is still posting each created document to the functions emulator (which drops it, the
 * triggers being off): that tail must not land in a timing. Other processes on a shared machine do
 * not count. Falls back to the whole machine's CPU when the tree is not found.
 * Returns how long it waited and the last load seen (cores).
 */
export async function waitForQuiet({ maxCores = 0.1, maxMs = 180_000 } = {}) {
  const started = Date.now();
  const root = emulatorRoot();
  let load;
  for (;;) {
    if (root === undefined) {
      const busy = await cpuBusy(1000);
      load = busy === undefined ? undefined : busy;
      if (load === undefined || load < 0.3) break;
    } else {
      const before = emulatorTicks(root);
      const t0 = Date.now();
      await sleep(1000);
      load = ticksBetween(before, emulatorTicks(root)) / 100 / ((Date.now() - t0) / 1000);
      if (load < maxCores) break;
    }
    if (Date.now() - started >= maxMs) break;
  }
  return { waitedMs: Date.now() - started, load, tree: root !== undefined };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const ascending = (values) => [...values].sort((a, b) => a - b);
export const fmt = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const pad = (value, width) => String(value).padStart(width);
export const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');

/** Runs the thunks with at most `concurrency` in flight; results in task order. */
export async function pool(tasks, concurrency) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
  return results;
}

const REPO_ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Which code was measured: the commit, and how many files under functions/ and schema/ differ from it. */
export function measuredCode() {
  const git = (...args) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'not a git checkout';
  const dirty = git('status', '--porcelain', '--', 'functions/src', 'schema/src').stdout.split('\n').filter(Boolean).length;
  return `${head.stdout.trim()}${dirty ? ` + ${dirty} uncommitted file(s) under functions/src, schema/src` : ' (clean)'}`;
}

/**
 * The functions emulator watches functions/: a rebuild by anyone (another session's `npm test`)
 * reloads every function mid-run, with cold starts in the measured phases. Detected, not prevented:
 * `rebuilt()` says whether functions/lib changed since this was called; `stamp()` is its mtime now.
 */
export function watchFunctionsBundle() {
  const bundle = path.join(REPO_ROOT, 'functions', 'lib', 'index.js');
  const stamp = () => (existsSync(bundle) ? statSync(bundle).mtimeMs : 0);
  const atStart = stamp();
  return { stamp, rebuilt: () => stamp() !== atStart };
}
