import { describe, expect, it } from 'vitest';
import { safeNextPath, signInPathFor } from './next-path';

const ORIGIN = 'https://vigil.example.com';

describe('safeNextPath', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeNextPath('/agent/?ws=w&agent=a', ORIGIN)).toBe('/agent/?ws=w&agent=a');
    expect(safeNextPath('/events/?ws=w#latest', ORIGIN)).toBe('/events/?ws=w#latest');
    expect(safeNextPath('/settings/', ORIGIN)).toBe('/settings/');
  });

  it('refuses anything that is not a path', () => {
    for (const bad of [
      null,
      undefined,
      '',
      ' ',
      'settings/',
      'https://evil.example/',
      `${ORIGIN}/settings/`,
      'javascript:alert(1)',
      'data:text/html,x',
    ]) {
      expect(safeNextPath(bad, ORIGIN), String(bad)).toBe('/');
    }
  });

  // Browsers drop tabs and newlines from URLs and read `\` as `/`, so each of these is `//evil.example`.
  it.each([
    '//evil.example',
    '/\\evil.example',
    '\\/evil.example',
    '/\t/evil.example/',
    '/\n/evil.example/',
    '/\r\n/evil.example/',
    '\t//evil.example',
    '/\t\\evil.example',
    '/.//evil.example',
    '/./\\evil.example',
    '/%2F/../evil.example',
    '/@evil.example',
    '/../..//evil.example',
    '//user:pass@evil.example/',
    '/\u0000/evil.example',
    ' //evil.example',
  ])('refuses %j, which leaves the site', (next) => {
    const result = safeNextPath(next, ORIGIN);
    expect(new URL(result, ORIGIN).origin).toBe(ORIGIN);
    expect(result.startsWith('/')).toBe(true);
    expect(result.startsWith('//')).toBe(false);
    expect(result.startsWith('/\\')).toBe(false);
  });

  it('returns only a path when the raw value would leave the site', () => {
    expect(safeNextPath('/\t/evil.example/', ORIGIN)).toBe('/');
    expect(safeNextPath('/.//evil.example', ORIGIN)).toBe('/');
    expect(safeNextPath('//user:pass@evil.example/', ORIGIN)).toBe('/');
  });

  it('keeps encoded slashes encoded: %2F%2F stays a path on this site', () => {
    expect(safeNextPath('/%2F%2Fevil.example', ORIGIN)).toBe('/%2F%2Fevil.example');
    expect(safeNextPath('%2F%2Fevil.example', ORIGIN)).toBe('/');
    expect(safeNextPath('/%09/evil.example', ORIGIN)).toBe('/%09/evil.example');
    expect(safeNextPath('/%5C%5Cevil.example', ORIGIN)).toBe('/%5C%5Cevil.example');
  });

  it('decoded once as the sign-in page reads it, the reproduced link falls back to the overview', () => {
    const next = new URL(`${ORIGIN}/signin/?next=%2F%09%2Fevil.example%2F`).searchParams.get('next');
    expect(next).toBe('/\t/evil.example/');
    expect(safeNextPath(next, ORIGIN)).toBe('/');
  });

  it('round-trips through the sign-in link', () => {
    const link = signInPathFor('/events/?ws=w&kind=test_failed');
    expect(safeNextPath(new URL(link, ORIGIN).searchParams.get('next'), ORIGIN)).toBe('/events/?ws=w&kind=test_failed');
    expect(signInPathFor('/')).toBe('/signin/');
  });
});
