import { describe, expect, it } from 'vitest';
import { agentFromDoc, type KeyRotationView } from '../model/agent';
import { rotationMarkerLabel, rotationPendingText, rotationRequester, rotationStep } from './key-rotation-state';

const requestedAt = new Date('2026-03-01T10:00:00.000Z');
const fetchedAt = new Date('2026-03-01T10:05:00.000Z');
const iso = (date: Date) => date.toISOString();
const rotation = (parts: Partial<KeyRotationView> = {}): KeyRotationView => ({
  reason: 'dashboard',
  requestedAt,
  requestedByEmail: 'ana@example.com',
  fetchedAt: null,
  pendingKey: false,
  ...parts,
});
const HOUR = 3_600_000;

describe('a pending key rotation', () => {
  it('waits for the fetch, then for the first report with the new key, until that key expires unused after 24 hours', () => {
    const now = fetchedAt.getTime() + HOUR;
    expect(rotationStep(rotation(), now)).toBe('waiting-for-fetch');
    expect(rotationStep(rotation({ fetchedAt, pendingKey: true }), now)).toBe('waiting-for-report');
    expect(rotationStep(rotation({ fetchedAt, pendingKey: true }), fetchedAt.getTime() + 24 * HOUR - 1)).toBe('waiting-for-report');
    expect(rotationStep(rotation({ fetchedAt, pendingKey: true }), fetchedAt.getTime() + 24 * HOUR)).toBe('fetched-key-expired');
    // A fetch time without a pending key is no key held: still waiting for one.
    expect(rotationStep(rotation({ fetchedAt, pendingKey: false }), now)).toBe('waiting-for-fetch');
  });

  it('names who asked: the address, the dashboard when unknown, or the workspace schedule', () => {
    expect(rotationRequester(rotation())).toBe('requested by ana@example.com');
    expect(rotationRequester(rotation({ requestedByEmail: null }))).toBe('requested from the dashboard');
    expect(rotationRequester(rotation({ reason: 'automatic', requestedByEmail: null }))).toBe('automatic');
  });

  it('says where it stands in a sentence, and a short marker for the list', () => {
    const now = fetchedAt.getTime() + HOUR;
    expect(rotationPendingText(rotation(), now, iso)).toBe(
      'Key rotation pending since 2026-03-01T10:00:00.000Z (requested by ana@example.com), waiting for the agent to fetch its new key.',
    );
    expect(rotationPendingText(rotation({ reason: 'automatic', requestedByEmail: null, fetchedAt, pendingKey: true }), now, iso)).toBe(
      'Key rotation pending since 2026-03-01T10:00:00.000Z (automatic), new key fetched at 2026-03-01T10:05:00.000Z, waiting for its first report.',
    );
    expect(rotationPendingText(rotation({ fetchedAt, pendingKey: true }), now + 24 * HOUR, iso)).toContain(
      'the key fetched at 2026-03-01T10:05:00.000Z was not used within 24 hours and no longer works',
    );
    expect(rotationMarkerLabel(rotation(), now)).toBe('Key rotation pending');
    expect(rotationMarkerLabel(rotation({ fetchedAt, pendingKey: true }), now)).toBe('New key fetched');
  });

  it('is read from keyRotation and pendingKeyId as ingest reads it: anything malformed is no rotation', () => {
    const timestamp = (date: Date) => ({ toDate: () => date });
    const read = (data: Record<string, unknown>) => agentFromDoc('a', data).keyRotation;
    expect(read({})).toBeNull();
    expect(read({ keyRotation: null, pendingKeyId: null })).toBeNull();
    expect(
      read({
        keyRotation: {
          reason: 'dashboard',
          requestedAt: timestamp(requestedAt),
          requestedBy: { uid: 'u', email: 'ana@example.com' },
          fetchedAt: null,
        },
      }),
    ).toEqual(rotation());
    expect(
      read({ keyRotation: { reason: 'automatic', requestedAt: timestamp(requestedAt), fetchedAt: timestamp(fetchedAt) }, pendingKeyId: 'k2' }),
    ).toEqual(rotation({ reason: 'automatic', requestedByEmail: null, fetchedAt, pendingKey: true }));
    expect(read({ keyRotation: { reason: 'whim', requestedAt: timestamp(requestedAt), fetchedAt: null } })).toBeNull();
    expect(read({ keyRotation: { reason: 'dashboard', requestedAt: '2026-03-01', fetchedAt: null } })).toBeNull();
    expect(read({ keyRotation: { reason: 'constructor', requestedAt: timestamp(requestedAt), fetchedAt: null } })).toBeNull();
  });
});
