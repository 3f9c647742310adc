import { describe, expect, it } from 'vitest';
import { decideUpdate, RETRY_FAILED_AFTER_MS, trialDeadlineSeconds } from './decide.js';
import { activated, EMPTY_STATE, failedAttempt, rolledBack } from './update-state.js';

const OFFER = { version: '0.2.0', sha256: 'a'.repeat(64), url: 'https://dashboard.example/vigil-agent.mjs' };
const STABLE = { autoUpdate: true, updateChannel: 'stable' };
const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('decideUpdate', () => {
  it('installs the offer on the stable channel', () => {
    expect(decideUpdate(OFFER, STABLE, '0.1.0', EMPTY_STATE, NOW)).toEqual({ install: true });
  });

  it('never with auto_update off', () => {
    expect(decideUpdate(OFFER, { ...STABLE, autoUpdate: false }, '0.1.0', EMPTY_STATE, NOW)).toEqual({
      install: false,
      reason: 'auto_update is off',
    });
  });

  it('a pinned channel moves only to its version', () => {
    expect(decideUpdate(OFFER, { autoUpdate: true, updateChannel: '0.2.0' }, '0.1.0', EMPTY_STATE, NOW)).toEqual({ install: true });
    expect(decideUpdate(OFFER, { autoUpdate: true, updateChannel: '0.1.0' }, '0.1.0', EMPTY_STATE, NOW)).toEqual({
      install: false,
      reason: 'update_channel stays on 0.1.0',
    });
  });

  it('not the version that runs, nor a bundle rolled back before', () => {
    expect(decideUpdate(OFFER, STABLE, '0.2.0', EMPTY_STATE, NOW).install).toBe(false);
    const bad = rolledBack(activated(EMPTY_STATE, OFFER, '0.1.0', 900, NOW), 'crashed', NOW);
    expect(decideUpdate(OFFER, STABLE, '0.1.0', bad, NOW)).toEqual({ install: false, reason: 'this bundle was rolled back before' });
    // The same version rebuilt (another SHA-256) is another bundle: it may be tried.
    expect(decideUpdate({ ...OFFER, sha256: 'b'.repeat(64) }, STABLE, '0.1.0', bad, NOW)).toEqual({ install: true });
  });

  it('waits an hour after a failed attempt of the same offer', () => {
    const failed = failedAttempt(EMPTY_STATE, OFFER, '0.1.0', 'HTTP 404', NOW);
    expect(decideUpdate(OFFER, STABLE, '0.1.0', failed, new Date(NOW.getTime() + RETRY_FAILED_AFTER_MS - 1)).install).toBe(false);
    expect(decideUpdate(OFFER, STABLE, '0.1.0', failed, new Date(NOW.getTime() + RETRY_FAILED_AFTER_MS)).install).toBe(true);
    expect(decideUpdate({ ...OFFER, version: '0.2.1', sha256: 'c'.repeat(64) }, STABLE, '0.1.0', failed, NOW).install).toBe(true);
  });
});

describe('trialDeadlineSeconds', () => {
  it('is three intervals, and at least 15 minutes', () => {
    expect(trialDeadlineSeconds(60)).toBe(900);
    expect(trialDeadlineSeconds(300)).toBe(900);
    expect(trialDeadlineSeconds(3600)).toBe(10_800);
  });
});
