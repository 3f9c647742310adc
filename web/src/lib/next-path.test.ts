import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPathFor } from './next-path';

describe('safeNextPath', () => {
  it('keeps paths on this site and refuses everything else', () => {
    expect(safeNextPath('/agent/?ws=w&agent=a')).toBe('/agent/?ws=w&agent=a');
    for (const bad of [null, '', 'https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      expect(safeNextPath(bad)).toBe('/');
    }
  });

  it('round-trips through the sign-in link', () => {
    const link = signInPathFor('/events/?ws=w&kind=test_failed');
    expect(safeNextPath(new URL(link, 'http://x').searchParams.get('next'))).toBe('/events/?ws=w&kind=test_failed');
    expect(signInPathFor('/')).toBe('/signin/');
  });
});
