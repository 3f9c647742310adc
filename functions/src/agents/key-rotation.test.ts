import { KEY_ROTATION } from '@vigil/schema';
import { Timestamp } from 'firebase-admin/firestore';
import { describe, expect, it } from 'vitest';
import { asksForRotation, automaticRotation, automaticRotationDue, fetchRefusal, keyStanding, pendingRotation, promotion } from './key-rotation.js';

const NOW = Date.UTC(2026, 11, 2, 6, 0, 0);
const OLD = 'aaaaaaaaaaaaaaaa';
const NEW = 'bbbbbbbbbbbbbbbb';
const requested = (fetchedAgoMs: number | null) => ({
  reason: 'dashboard',
  requestedAt: Timestamp.fromMillis(NOW - 3_600_000),
  fetchedAt: fetchedAgoMs === null ? null : Timestamp.fromMillis(NOW - fetchedAgoMs),
});

describe('pendingRotation', () => {
  it('reads a stored rotation and treats anything malformed as none', () => {
    expect(pendingRotation(requested(5_000))).toEqual({ reason: 'dashboard', requestedAtMs: NOW - 3_600_000, fetchedAtMs: NOW - 5_000 });
    expect(pendingRotation(requested(null))?.fetchedAtMs).toBeNull();
    for (const bad of [null, undefined, 'x', {}, { ...requested(null), reason: 'whim' }, { ...requested(null), requestedAt: '2026-12-02' }]) {
      expect(pendingRotation(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});

describe('keyStanding', () => {
  it('accepts the current key, and the pending one for 24 h after its fetch', () => {
    const agent = { keyId: OLD, pendingKeyId: NEW, keyRotation: requested(60_000) };
    expect(keyStanding(agent, OLD, NOW)).toBe('current');
    expect(keyStanding(agent, NEW, NOW)).toBe('pending');
    const day = KEY_ROTATION.pendingKeySeconds * 1000;
    expect(keyStanding({ ...agent, keyRotation: requested(day - 1) }, NEW, NOW)).toBe('pending');
    expect(keyStanding({ ...agent, keyRotation: requested(day) }, NEW, NOW)).toBe('refused');
  });

  it('refuses other ids, a pending id without a fetched rotation, and a malformed pending id', () => {
    expect(keyStanding({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(1_000) }, 'cccccccccccccccc', NOW)).toBe('refused');
    expect(keyStanding({ keyId: OLD, pendingKeyId: NEW, keyRotation: null }, NEW, NOW)).toBe('refused');
    expect(keyStanding({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(null) }, NEW, NOW)).toBe('refused');
    expect(keyStanding({ keyId: OLD, pendingKeyId: 42, keyRotation: requested(1_000) }, NEW, NOW)).toBe('refused');
    expect(keyStanding({ keyId: null }, OLD, NOW)).toBe('refused');
  });
});

describe('asksForRotation', () => {
  it('asks only the current key, only while a rotation is pending', () => {
    expect(asksForRotation({ keyId: OLD, keyRotation: requested(null) }, OLD)).toBe(true);
    // Fetched but never used (the agent may have lost it): asked again, and fetches a fresh one.
    expect(asksForRotation({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(5_000) }, OLD)).toBe(true);
    expect(asksForRotation({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(5_000) }, NEW)).toBe(false);
    expect(asksForRotation({ keyId: OLD, keyRotation: null }, OLD)).toBe(false);
    expect(asksForRotation({ keyId: OLD }, OLD)).toBe(false);
  });
});

describe('promotion', () => {
  it('makes the pending key the agent key and ends the rotation', () => {
    expect(promotion(NEW)).toEqual({ keyId: NEW, keyPrefix: `vgl_${NEW}_…`, pendingKeyId: null, keyRotation: null });
  });
});

describe('fetchRefusal', () => {
  it('lets the current key fetch while a rotation is pending', () => {
    expect(fetchRefusal({ keyId: OLD, keyRotation: requested(null) }, OLD, NOW)).toBeNull();
    expect(fetchRefusal({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(KEY_ROTATION.minFetchSeconds * 1000) }, OLD, NOW)).toBeNull();
  });

  it('refuses without a rotation, and the pending key', () => {
    expect(fetchRefusal({ keyId: OLD, keyRotation: null }, OLD, NOW)?.code).toBe('failed-precondition');
    expect(fetchRefusal({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(60_000) }, NEW, NOW)?.code).toBe('failed-precondition');
  });

  it('issues at most one key per minFetchSeconds, saying when to retry', () => {
    expect(fetchRefusal({ keyId: OLD, pendingKeyId: NEW, keyRotation: requested(2_500) }, OLD, NOW)).toEqual({
      code: 'resource-exhausted',
      message: `A key was issued moments ago; retry in ${KEY_ROTATION.minFetchSeconds - 2} s.`,
      retryAfterSeconds: KEY_ROTATION.minFetchSeconds - 2,
    });
  });
});

describe('automaticRotationDue', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const agent = { keyId: OLD, keyRotationDays: 30 };

  it('asks once the current key is keyRotationDays old, not a moment before', () => {
    expect(automaticRotationDue(agent, OLD, NOW - 30 * DAY, NOW)).toBe(true);
    expect(automaticRotationDue(agent, OLD, NOW - 30 * DAY + 1, NOW)).toBe(false);
    expect(automaticRotationDue(agent, OLD, NOW - 400 * DAY, NOW)).toBe(true);
  });

  it('never while a rotation is pending, for the pending key, or with the setting off or malformed', () => {
    expect(automaticRotationDue({ ...agent, keyRotation: requested(null) }, OLD, NOW - 90 * DAY, NOW)).toBe(false);
    expect(automaticRotationDue({ ...agent, pendingKeyId: NEW, keyRotation: requested(5_000) }, NEW, NOW - 90 * DAY, NOW)).toBe(false);
    for (const keyRotationDays of [undefined, null, 6, 366, 30.5, '30']) {
      expect(automaticRotationDue({ keyId: OLD, keyRotationDays }, OLD, NOW - 400 * DAY, NOW), String(keyRotationDays)).toBe(false);
    }
    expect(automaticRotationDue(agent, OLD, Number.NaN, NOW)).toBe(false);
  });

  it('asks again after a malformed rotation (no rotation to the agent), and its request is a pending rotation', () => {
    expect(automaticRotationDue({ ...agent, keyRotation: { reason: 'whim' } }, OLD, NOW - 30 * DAY, NOW)).toBe(true);
    const written = automaticRotation(NOW);
    expect(pendingRotation(written)).toEqual({ reason: 'automatic', requestedAtMs: NOW, fetchedAtMs: null });
    expect(asksForRotation({ keyId: OLD, keyRotation: written }, OLD)).toBe(true);
    expect(automaticRotationDue({ ...agent, keyRotation: written }, OLD, NOW - 90 * DAY, NOW)).toBe(false);
  });
});
