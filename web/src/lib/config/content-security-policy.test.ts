import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, inlineScriptHashes, withPolicyMeta, type PolicyOptions } from './content-security-policy';

const emulatorBuild: PolicyOptions = {
  projectId: 'demo-vigil',
  authDomain: 'demo-vigil.firebaseapp.com',
  useEmulators: true,
  googleSignIn: false,
  sentryDsn: '',
  scriptHashes: ["'sha256-abc='"],
};

const productionBuild: PolicyOptions = {
  projectId: 'acme-vigil',
  authDomain: 'acme-vigil.firebaseapp.com',
  useEmulators: false,
  googleSignIn: false,
  sentryDsn: '',
  scriptHashes: ["'sha256-abc='"],
};

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('contentSecurityPolicy', () => {
  it('allows scripts from this site and the hashed inline scripts only: no unsafe-inline, no unsafe-eval', () => {
    for (const options of [
      emulatorBuild,
      productionBuild,
      { ...productionBuild, googleSignIn: true, sentryDsn: 'https://k@o1.ingest.sentry.io/42' },
    ]) {
      const policy = contentSecurityPolicy(options);
      const script = directives(policy).get('script-src')!;
      expect(script).toContain("'self'");
      expect(script).toContain("'sha256-abc='");
      expect(script).not.toContain("'unsafe-inline'");
      expect(policy).not.toContain('unsafe-eval');
      expect(directives(policy).get('default-src')).toEqual(["'self'"]);
      expect(directives(policy).get('object-src')).toEqual(["'none'"]);
      expect(directives(policy).get('base-uri')).toEqual(["'self'"]);
    }
  });

  it('lets a production build reach exactly Auth, Firestore and its own callables, never the emulators', () => {
    const connect = directives(contentSecurityPolicy(productionBuild)).get('connect-src')!;
    expect(connect).toEqual([
      "'self'",
      'https://identitytoolkit.googleapis.com',
      'https://securetoken.googleapis.com',
      'https://firestore.googleapis.com',
      'https://us-central1-acme-vigil.cloudfunctions.net',
    ]);
    expect(contentSecurityPolicy(productionBuild)).not.toContain('127.0.0.1');
  });

  it('lets an emulator build reach the emulators only', () => {
    expect(directives(contentSecurityPolicy(emulatorBuild)).get('connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:9099',
      'http://127.0.0.1:8080',
      'http://127.0.0.1:5001',
    ]);
  });

  it("adds Sentry's ingest origin only when a DSN is configured", () => {
    expect(contentSecurityPolicy(productionBuild)).not.toMatch(/sentry/);
    const withSentry = directives(contentSecurityPolicy({ ...productionBuild, sentryDsn: 'https://public@o1.ingest.sentry.io/42' })).get(
      'connect-src',
    )!;
    expect(withSentry).toContain('https://o1.ingest.sentry.io');
    expect(withSentry.filter((origin) => origin.includes('sentry'))).toEqual(['https://o1.ingest.sentry.io']);
    // A DSN the reporter refuses (it stays off) opens nothing either.
    expect(contentSecurityPolicy({ ...productionBuild, sentryDsn: 'not a dsn' })).not.toMatch(/not|dsn/);
  });

  it('allows the Google sign-in popup (its script and the auth domain frame) only when it is on', () => {
    const off = directives(contentSecurityPolicy(productionBuild));
    expect(off.get('frame-src')).toEqual(["'none'"]);
    expect(off.get('script-src')).not.toContain('https://apis.google.com');
    const on = directives(contentSecurityPolicy({ ...productionBuild, googleSignIn: true }));
    expect(on.get('script-src')).toContain('https://apis.google.com');
    expect(on.get('frame-src')).toEqual(['https://acme-vigil.firebaseapp.com']);
    expect(on.get('connect-src')).toContain('https://www.googleapis.com');
  });
});

describe('inlineScriptHashes', () => {
  it('hashes the text of every inline script, not external ones, each once', () => {
    const html =
      '<html><head><script src="/_next/a.js" async=""></script><script>self.__next_f=[]</script></head>' +
      '<body><script id="_R_">one()</script><script>self.__next_f=[]</script><script type="application/ld+json">{}</script></body></html>';
    const sha = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
    expect(inlineScriptHashes(html)).toEqual([sha('self.__next_f=[]'), sha('one()')]);
  });
});

describe('withPolicyMeta', () => {
  it('puts the policy right after the charset, before any script, with its quotes escaped', () => {
    const html = '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><script src="/a.js"></script></head><body></body></html>';
    expect(withPolicyMeta(html, `default-src 'self'; x "<y"`)).toBe(
      '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/><meta http-equiv="Content-Security-Policy" content="default-src \'self\'; x &quot;&lt;y&quot;"/><script src="/a.js"></script></head><body></body></html>',
    );
  });

  it('puts it first in <head> when no charset comes first', () => {
    expect(withPolicyMeta('<html><head><script>x()</script></head></html>', 'p')).toBe(
      '<html><head><meta http-equiv="Content-Security-Policy" content="p"/><script>x()</script></head></html>',
    );
  });

  it('refuses a page without <head> or with a policy already in it', () => {
    expect(() => withPolicyMeta('<html><body></body></html>', 'x')).toThrow(/<head>/);
    expect(() => withPolicyMeta(withPolicyMeta('<html><head></head></html>', 'x'), 'x')).toThrow(/already/);
  });
});
