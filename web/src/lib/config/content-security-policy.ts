// The dashboard's Content-Security-Policy, written into every exported page by
// scripts/add-content-security-policy.mjs after `next build` (a static export has no server to add
// a per-request nonce, and each page's inline scripts differ, so each page gets its own hashes).
// Hosting adds what a <meta> policy cannot carry (frame-ancestors) in firebase.json; both apply.
// Pure; runs in Node at build time, never in the browser.
import { createHash } from 'node:crypto';
import { emulatorOrigins, firebaseOrigins } from '../firebase/firebase-endpoints';
import { parseSentryDsn } from '@vigil/schema/constants';

export interface PolicyOptions {
  projectId: string;
  authDomain: string;
  useEmulators: boolean;
  googleSignIn: boolean;
  /** NEXT_PUBLIC_SENTRY_DSN; empty or invalid means error reporting is off and opens nothing. */
  sentryDsn: string | undefined;
  /** 'sha256-…' sources of the page's inline scripts (Next's bootstrap and RSC payload, the color-mode script). */
  scriptHashes: readonly string[];
}

export function contentSecurityPolicy(options: PolicyOptions): string {
  const sentry = parseSentryDsn(options.sentryDsn);
  const connect = [
    "'self'",
    ...(options.useEmulators ? emulatorOrigins() : firebaseOrigins(options.projectId)),
    ...(sentry ? [new URL(sentry.envelopeUrl).origin] : []),
    // The Google popup asks for the project's sign-in configuration.
    ...(options.googleSignIn ? ['https://www.googleapis.com'] : []),
  ];
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", ...options.scriptHashes, ...(options.googleSignIn ? ['https://apis.google.com'] : [])]],
    // Emotion (Chakra's CSS-in-JS) inserts <style> elements at run time: they cannot be hashed ahead.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', connect],
    // Google sign-in runs Firebase's auth handler in a frame of the auth domain; nothing else frames.
    ['frame-src', options.googleSignIn ? [`https://${options.authDomain}`] : ["'none'"]],
    ['worker-src', ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

// Next writes well-formed HTML and escapes `</script` inside scripts, so a pattern finds them all.
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script>/gi;
const JS_TYPE = /\btype\s*=\s*["']?(?!(?:text|application)\/(?:javascript|ecmascript)|module)[^"'\s>]+/i;

/** The 'sha256-…' source of each distinct inline script of a page, in order of first appearance. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const [, attributes = '', text = ''] of html.matchAll(SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes) || JS_TYPE.test(attributes)) continue;
    hashes.add(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
  }
  return [...hashes];
}

// Inside a double-quoted attribute only these change meaning (a policy's single quotes do not).
const escapeAttribute = (text: string) => text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

/**
 * The page with the policy in <head> before any script, so it governs all of them: right after the
 * charset declaration when that comes first (it must stay within the first 1024 bytes), else first.
 */
export function withPolicyMeta(html: string, policy: string): string {
  if (/http-equiv=["']?Content-Security-Policy/i.test(html)) throw new Error('The page already has a Content-Security-Policy <meta>.');
  const head = /<head(\s[^>]*)?>(<meta charset=[^>]*>)?/i.exec(html);
  if (!head) throw new Error('The page has no <head> to put its Content-Security-Policy in.');
  const at = head.index + head[0].length;
  return `${html.slice(0, at)}<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(policy)}"/>${html.slice(at)}`;
}
