import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  activated,
  bundleFileIn,
  confirmed,
  EMPTY_STATE,
  failedAttempt,
  isBad,
  MAX_TRIAL_STARTS,
  parseState,
  readState,
  rolledBack,
  stateFileIn,
  trialStarted,
  updateDirFor,
  writeState,
  type UpdateState,
} from './update-state.js';

const A = { version: '0.2.0', sha256: 'a'.repeat(64) };
const B = { version: '0.3.0', sha256: 'b'.repeat(64) };
const NOW = new Date('2026-01-02T03:04:05.000Z');
const LATER = new Date('2026-01-02T04:00:00.000Z');

describe('state transitions', () => {
  it('activates a bundle on trial, from the running version', () => {
    const state = activated(EMPTY_STATE, A, '0.1.0', 900, NOW);
    expect(state.active).toEqual({ ...A, from: '0.1.0', at: NOW.toISOString(), trial: { starts: 0, deadlineSeconds: 900 } });
    expect(state.previous).toBeUndefined();
  });

  it('counts trial starts and says when the version on trial has had its starts', () => {
    let state = activated(EMPTY_STATE, A, '0.1.0', 900, NOW);
    for (let start = 1; start <= MAX_TRIAL_STARTS; start++) {
      const next = trialStarted(state);
      expect(next.exhausted).toBe(false);
      state = next.state;
      expect(state.active?.trial?.starts).toBe(start);
    }
    expect(trialStarted(state).exhausted).toBe(true);
    // A confirmed version is never counted.
    expect(trialStarted(confirmed(state, LATER))).toEqual({ state: confirmed(state, LATER), exhausted: false });
  });

  it('confirms the version on trial: updated, and no previous bundle kept', () => {
    const onTrial = activated(confirmed(activated(EMPTY_STATE, A, '0.1.0', 900, NOW), NOW), B, '0.2.0', 900, NOW);
    expect(onTrial.previous).toEqual({ ...A, from: '0.1.0', at: NOW.toISOString() });
    const state = confirmed(onTrial, LATER);
    expect(state.active).toEqual({ ...B, from: '0.2.0', at: NOW.toISOString() });
    expect(state.previous).toBeUndefined();
    expect(state.last).toEqual({ outcome: 'updated', from: '0.2.0', to: '0.3.0', at: LATER.toISOString() });
  });

  it('rolls back to the previous update, or to the installed bundle, marks the bundle bad and says why', () => {
    const onTrial = activated(confirmed(activated(EMPTY_STATE, A, '0.1.0', 900, NOW), NOW), B, '0.2.0', 900, NOW);
    const back = rolledBack(onTrial, 'it crashed', LATER);
    expect(back.active).toEqual({ ...A, from: '0.1.0', at: NOW.toISOString() });
    expect(isBad(back, B)).toBe(true);
    expect(isBad(back, A)).toBe(false);
    expect(back.last).toEqual({ outcome: 'rolled-back', from: '0.2.0', to: '0.3.0', at: LATER.toISOString(), reason: 'it crashed' });
    const installed = rolledBack(activated(EMPTY_STATE, A, '0.1.0', 900, NOW), 'no report', LATER);
    expect(installed.active).toBeUndefined();
    expect(isBad(installed, A)).toBe(true);
    // The same version with another SHA-256 is another bundle.
    expect(isBad(installed, { ...A, sha256: 'c'.repeat(64) })).toBe(false);
  });

  it('keeps the last 20 bad bundles', () => {
    let state: UpdateState = EMPTY_STATE;
    for (let index = 0; index < 25; index++) {
      const ref = { version: `1.0.${index}`, sha256: index.toString(16).padStart(64, '0') };
      state = rolledBack(activated(state, ref, '0.1.0', 900, NOW), 'bad', NOW);
    }
    expect(state.bad).toHaveLength(20);
    expect(state.bad[0]?.version).toBe('1.0.5');
  });

  it('records a failed attempt and changes nothing else', () => {
    const before = confirmed(activated(EMPTY_STATE, A, '0.1.0', 900, NOW), NOW);
    const after = failedAttempt(before, B, '0.2.0', 'its SHA-256 is …', LATER);
    expect(after.active).toEqual(before.active);
    expect(after.failed).toEqual({ ...B, at: LATER.toISOString() });
    expect(after.last).toEqual({ outcome: 'failed', from: '0.2.0', to: '0.3.0', at: LATER.toISOString(), reason: 'its SHA-256 is …' });
    // A later successful download clears the failure.
    expect(activated(after, B, '0.2.0', 900, LATER).failed).toBeUndefined();
  });
});

describe('the state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'vigil-update-state-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is absent at first, then written atomically with mode 0600 and read back', async () => {
    expect(await readState(dir)).toEqual({ bad: [] });
    const state = rolledBack(activated(EMPTY_STATE, A, '0.1.0', 900, NOW), 'no report', NOW);
    await writeState(dir, state);
    expect((await stat(stateFileIn(dir))).mode & 0o777).toBe(0o600);
    expect(await readState(dir)).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it('leaves out what is malformed: a damaged file is no active update', async () => {
    expect(parseState('{not json')).toEqual({ bad: [] });
    expect(parseState('[]')).toEqual({ bad: [] });
    const text = JSON.stringify({
      active: { version: '../../etc', sha256: A.sha256, from: '0.1.0', at: NOW.toISOString() },
      previous: { ...B, from: '0.1.0', at: NOW.toISOString() },
      bad: [A, { version: 'x', sha256: 'nothex' }, 'junk'],
    });
    // No active update: the previous one alone means nothing either.
    expect(parseState(text)).toEqual({ bad: [A] });
    const trial = JSON.stringify({ active: { ...A, from: '0.1.0', at: NOW.toISOString(), trial: { starts: -1, deadlineSeconds: 900 } } });
    expect(parseState(trial).active).toBeUndefined();
    await writeFile(stateFileIn(dir), '{"active": 3}');
    expect((await readState(dir)).active).toBeUndefined();
    expect(await readFile(stateFileIn(dir), 'utf8')).toBe('{"active": 3}');
  });

  it('lives under VIGIL_STATE_DIR (default /var/lib/vigil), each bundle in a directory named by its SHA-256', () => {
    expect(updateDirFor({})).toBe('/var/lib/vigil/update');
    expect(updateDirFor({ VIGIL_STATE_DIR: '/prefix/var/lib/vigil' })).toBe('/prefix/var/lib/vigil/update');
    expect(bundleFileIn('/u', A.sha256)).toBe(`/u/${A.sha256}/vigil-agent.mjs`);
    expect(() => bundleFileIn('/u', '../x')).toThrow();
  });
});
