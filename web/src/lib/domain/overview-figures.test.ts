import { describe, expect, it } from 'vitest';
import { OPEN_EVENTS_COUNTED, openEventsLabel } from './overview-figures';

describe('openEventsLabel', () => {
  it('shows the count, and the cap with a plus once the count reached it (the count stops there)', () => {
    expect(openEventsLabel(0)).toBe('0');
    expect(openEventsLabel(OPEN_EVENTS_COUNTED - 1)).toBe('999');
    expect(openEventsLabel(OPEN_EVENTS_COUNTED)).toBe('1000+');
  });
});
