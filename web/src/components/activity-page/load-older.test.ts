import { describe, expect, it } from 'vitest';
import { isLoadingOlder } from './load-older';

describe('the Load older button', () => {
  it('is loading while the page it asked for is read', () => {
    expect(isLoadingOlder({ size: 2, loaded: 1, validating: true })).toBe(true);
  });

  it('is not loading while the pages already shown are read again (an opening re-reads the first)', () => {
    expect(isLoadingOlder({ size: 1, loaded: 1, validating: true })).toBe(false);
    expect(isLoadingOlder({ size: 2, loaded: 2, validating: true })).toBe(false);
  });

  it('is not loading once nothing is read (a failed read shows its error, not a spinner)', () => {
    expect(isLoadingOlder({ size: 2, loaded: 1, validating: false })).toBe(false);
    expect(isLoadingOlder({ size: 1, loaded: undefined, validating: true })).toBe(false);
  });
});
