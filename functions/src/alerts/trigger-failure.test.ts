import { describe, expect, it } from 'vitest';
import { DeterministicFailure, classifyTriggerError, failureReason } from './trigger-failure.js';

function grpc(code: number, message = 'status') {
  return Object.assign(new Error(message), { code });
}

describe('classifyTriggerError', () => {
  it('retries what may succeed later: contention, unavailability, deadlines, quotas, IAM, network errors', () => {
    for (const code of [1, 2, 4, 7, 8, 10, 13, 14, 16, 409]) expect(classifyTriggerError(grpc(code))).toBe('transient');
    expect(classifyTriggerError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('transient');
  });

  it('records what can never succeed: a taken event id, a refused value, a bug, our own verdict', () => {
    for (const code of [3, 5, 6, 9, 11, 12]) expect(classifyTriggerError(grpc(code))).toBe('deterministic');
    expect(classifyTriggerError(new TypeError("Cannot read properties of undefined (reading 'failures')"))).toBe('deterministic');
    expect(classifyTriggerError(new Error('Value for argument "data" is not a valid Firestore document'))).toBe('deterministic');
    expect(classifyTriggerError(new DeterministicFailure('state too large'))).toBe('deterministic');
    expect(classifyTriggerError('a string')).toBe('deterministic');
  });
});

describe('failureReason', () => {
  it('names the error, scrubs secrets and stays short', () => {
    expect(failureReason(grpc(6, '6 ALREADY_EXISTS: Document already exists'))).toBe('Error: 6 ALREADY_EXISTS: Document already exists');
    expect(failureReason(new TypeError('key vgl_ABCDEFGHIJKLMNOP_secret leaked'))).toBe('TypeError: key vgl_[redacted] leaked');
    expect(failureReason(new Error('x'.repeat(5000))).length).toBeLessThanOrEqual(500);
  });
});
