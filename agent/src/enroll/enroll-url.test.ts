import { describe, expect, it } from 'vitest';
import { EnrollUrlError, enrollUrlFor } from './enroll-url.js';

describe('enrollUrlFor', () => {
  it('maps the ingestReport function to enrollAgent beside it', () => {
    expect(enrollUrlFor('https://us-central1-acme.cloudfunctions.net/ingestReport')).toBe('https://us-central1-acme.cloudfunctions.net/enrollAgent');
    expect(enrollUrlFor('http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport')).toBe(
      'http://127.0.0.1:5001/demo-vigil/us-central1/enrollAgent',
    );
  });

  it("maps a relay's /ingest to its /enroll", () => {
    expect(enrollUrlFor('https://10.0.0.5:8443/ingest')).toBe('https://10.0.0.5:8443/enroll');
    expect(enrollUrlFor('https://[fd00::5]:8443/ingest')).toBe('https://[fd00::5]:8443/enroll');
  });

  it('refuses anything else, saying what it wants', () => {
    expect(() => enrollUrlFor('not a url')).toThrow(EnrollUrlError);
    expect(() => enrollUrlFor('ftp://host/ingestReport')).toThrow('must be an https:// URL, not ftp://');
    expect(() => enrollUrlFor('https://host/somethingElse')).toThrow(/must be the ingestReport function .* or a relay/);
    expect(() => enrollUrlFor('https://host/prefix/ingest')).toThrow(/or a relay/);
    expect(() => enrollUrlFor('https://host/ingestReport?x=1')).toThrow('no query');
    expect(() => enrollUrlFor('https://user:pw@host/ingestReport')).toThrow('credentials');
  });
});
