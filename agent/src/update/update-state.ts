// The self-update's state on disk (docs/agent.md, "Updates"): which downloaded bundle is active,
// whether it is still on trial, what a rollback goes back to, which bundles were rolled back (never
// tried again), and the last attempt that the reports carry. One JSON file, `state.json` in the
// update directory, replaced atomically (atomic-write.ts); each bundle in `<update dir>/<sha256>/`.
//
// The launcher (launcher.ts) reads and writes this before the rest of the agent is loaded, so this
// module imports node builtins only (no zod: a parse here costs no schema construction), and it keeps
// `last` as it found it: the updater checks it against the protocol before a report carries it.
// The transitions are pure functions of the state; the unit tests drive them.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../enroll/atomic-write.js';

/** systemd's StateDirectory of vigil-agent.service; VIGIL_STATE_DIR moves it (install.sh --prefix, tests). */
export const DEFAULT_STATE_DIR = '/var/lib/vigil';
const STATE_FILE = 'state.json';
const BUNDLE_FILE = 'vigil-agent.mjs';
/** A version on trial that stops this many times before its first accepted report is rolled back at the next start. */
export const MAX_TRIAL_STARTS = 2;
/** Bundles remembered as rolled back; the oldest is forgotten first. */
const MAX_BAD_BUNDLES = 20;
const VERSION = /^[0-9A-Za-z.+-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export interface BundleRef {
  version: string;
  sha256: string;
}

export interface ActiveUpdate extends BundleRef {
  /** The version it replaced: the report's `last.from`. */
  from: string;
  /** When it was installed (ISO time). */
  at: string;
  /** Present until its first report is accepted: starts counted by the launcher, and how long each start has to get one accepted. */
  trial?: { starts: number; deadlineSeconds: number };
}

export interface UpdateState {
  active?: ActiveUpdate;
  /** What a rollback of the active trial goes back to; absent: the installed bundle. */
  previous?: ActiveUpdate;
  /** Rolled back: never installed again. */
  bad: BundleRef[];
  /** The last attempt, as the reports carry it (checked by the updater; kept here as found). */
  last?: unknown;
  /** The offer whose download or check failed last, waited out before it is tried again. */
  failed?: BundleRef & { at: string };
}

export const EMPTY_STATE: UpdateState = { bad: [] };

export function updateDirFor(env: Record<string, string | undefined>): string {
  return path.join(env.VIGIL_STATE_DIR || DEFAULT_STATE_DIR, 'update');
}

export function stateFileIn(updateDir: string): string {
  return path.join(updateDir, STATE_FILE);
}

/** Where a verified bundle lives: named by its SHA-256, which is checked hex, so never a path of someone else's choosing. */
export function bundleDirIn(updateDir: string, sha256: string): string {
  if (!SHA256.test(sha256)) throw new Error('not a SHA-256');
  return path.join(updateDir, sha256);
}

export function bundleFileIn(updateDir: string, sha256: string): string {
  return path.join(bundleDirIn(updateDir, sha256), BUNDLE_FILE);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bundleRef(value: unknown): BundleRef | undefined {
  if (!isRecord(value)) return undefined;
  const { version, sha256 } = value;
  return typeof version === 'string' && VERSION.test(version) && typeof sha256 === 'string' && SHA256.test(sha256) ? { version, sha256 } : undefined;
}

function activeUpdate(value: unknown): ActiveUpdate | undefined {
  const ref = bundleRef(value);
  if (!ref || !isRecord(value)) return undefined;
  const { from, at, trial } = value;
  if (typeof from !== 'string' || from.length > 64 || typeof at !== 'string' || Number.isNaN(Date.parse(at))) return undefined;
  const active: ActiveUpdate = { ...ref, from, at };
  if (trial !== undefined) {
    if (!isRecord(trial)) return undefined;
    const { starts, deadlineSeconds } = trial;
    if (!Number.isInteger(starts) || (starts as number) < 0 || !Number.isInteger(deadlineSeconds) || (deadlineSeconds as number) <= 0)
      return undefined;
    active.trial = { starts: starts as number, deadlineSeconds: deadlineSeconds as number };
  }
  return active;
}

/** The state a file holds; anything malformed in it is left out (an unreadable active update is no update: the installed bundle runs). */
export function parseState(text: string): UpdateState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ...EMPTY_STATE };
  }
  if (!isRecord(value)) return { ...EMPTY_STATE };
  const state: UpdateState = {
    bad: Array.isArray(value.bad) ? value.bad.map(bundleRef).filter((ref): ref is BundleRef => ref !== undefined) : [],
  };
  const active = activeUpdate(value.active);
  if (active) state.active = active;
  // A previous bundle matters only while an active one may be rolled back to it.
  const previous = activeUpdate(value.previous);
  if (previous && active) state.previous = withoutTrial(previous);
  if (value.last !== undefined) state.last = value.last;
  const failed = bundleRef(value.failed);
  if (failed && isRecord(value.failed) && typeof value.failed.at === 'string') state.failed = { ...failed, at: value.failed.at };
  return state;
}

/** The state on disk; none when there is no file. Other read errors are thrown (a launcher then runs the installed bundle). */
export async function readState(updateDir: string): Promise<UpdateState> {
  try {
    return parseState(await readFile(stateFileIn(updateDir), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'ENOENT') return { ...EMPTY_STATE, bad: [] };
    throw error;
  }
}

export async function writeState(updateDir: string, state: UpdateState): Promise<void> {
  await writeFileAtomic(stateFileIn(updateDir), `${JSON.stringify(state, null, 2)}\n`, 0o600);
}

const sameBundle = (a: BundleRef | undefined, b: BundleRef | undefined) =>
  a !== undefined && b !== undefined && a.sha256 === b.sha256 && a.version === b.version;

export function isBad(state: UpdateState, ref: BundleRef): boolean {
  return state.bad.some((bad) => sameBundle(bad, ref));
}

function withoutTrial(active: ActiveUpdate): ActiveUpdate {
  const { trial: _trial, ...rest } = active;
  return rest;
}

// --- Transitions (pure) ------------------------------------------------------------------------

/** A verified bundle becomes the active one, on trial; the active one before it (if it had passed its trial) is what a rollback returns to. */
export function activated(state: UpdateState, ref: BundleRef, from: string, deadlineSeconds: number, now: Date): UpdateState {
  const previous = state.active ? (state.active.trial ? state.previous : withoutTrial(state.active)) : undefined;
  const { failed: _failed, previous: _previous, ...rest } = state;
  return {
    ...rest,
    active: { ...ref, from, at: now.toISOString(), trial: { starts: 0, deadlineSeconds } },
    ...(previous ? { previous } : {}),
  };
}

/** One more start of the version on trial (the launcher, for `run`); `exhausted` when it has had its starts. */
export function trialStarted(state: UpdateState): { state: UpdateState; exhausted: boolean } {
  const active = state.active;
  if (!active?.trial) return { state, exhausted: false };
  if (active.trial.starts >= MAX_TRIAL_STARTS) return { state, exhausted: true };
  return { state: { ...state, active: { ...active, trial: { ...active.trial, starts: active.trial.starts + 1 } } }, exhausted: false };
}

/** The active version goes: marked bad, the previous one (or the installed bundle) runs again, and the reports say why. */
export function rolledBack(state: UpdateState, reason: string, now: Date): UpdateState {
  const active = state.active;
  if (!active) return state;
  const bad = [...state.bad.filter((ref) => !sameBundle(ref, active)), { version: active.version, sha256: active.sha256 }].slice(-MAX_BAD_BUNDLES);
  const { previous, active: _active, ...rest } = state;
  return {
    ...rest,
    bad,
    ...(previous ? { active: previous } : {}),
    last: { outcome: 'rolled-back', from: active.from, to: active.version, at: now.toISOString(), reason },
  };
}

/** The version on trial got a report accepted: it stays, and what it replaced is no longer needed. */
export function confirmed(state: UpdateState, now: Date): UpdateState {
  const active = state.active;
  if (!active?.trial) return state;
  const { previous: _previous, ...rest } = state;
  return { ...rest, active: withoutTrial(active), last: { outcome: 'updated', from: active.from, to: active.version, at: now.toISOString() } };
}

/** A download or its check failed: nothing else changed. */
export function failedAttempt(state: UpdateState, ref: BundleRef, from: string, reason: string, now: Date): UpdateState {
  return {
    ...state,
    failed: { ...ref, at: now.toISOString() },
    last: { outcome: 'failed', from, to: ref.version, at: now.toISOString(), reason },
  };
}
