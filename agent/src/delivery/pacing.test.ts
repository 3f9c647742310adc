import { expect, it } from 'vitest';
import { paceDelayMs, SEND_SPACING_MS } from './pacing.js';

it('waits nothing before the first send, and nothing once a spacing has passed', () => {
  expect(paceDelayMs(undefined, 5_000)).toBe(0);
  expect(paceDelayMs(5_000, 5_000 + SEND_SPACING_MS)).toBe(0);
  expect(paceDelayMs(5_000, 5_000 + 60_000)).toBe(0);
});

it('waits what is left of the spacing after the previous send started', () => {
  expect(paceDelayMs(5_000, 5_000)).toBe(SEND_SPACING_MS);
  expect(paceDelayMs(5_000, 5_000 + 400)).toBe(SEND_SPACING_MS - 400);
});

it('waits at most one spacing when the clock was set back', () => {
  expect(paceDelayMs(5_000 + 3_600_000, 5_000)).toBe(SEND_SPACING_MS);
});
