// Errors no page handled, reported to the operator's own Sentry when the build set
// NEXT_PUBLIC_SENTRY_DSN (docs/telemetry.md). Unset or empty, the default: no listener is
// registered and nothing is ever sent. No Sentry SDK: the event and envelope are the ones the
// agent and the functions send (schema/src/error-report.ts), one fetch each.
// The window's 'error' event also carries render errors: the dashboard has no error boundary of
// its own, and Next's built-in one hands what it catches to window.reportError. An error.tsx
// added later would catch them first, and would have to call report() itself.
// What leaves the browser: the error's type, message and stack (scrubbed there of keys,
// credentials and email addresses, and here of query strings, which carry workspace and agent
// ids), the page's path and the dashboard's version. Never a user, a document or a URL's query.

import packageJson from '../../../package.json';
import { browserEnvelopeUrl, LIMITS, parseSentryDsn, sentryEnvelope } from '@vigil/schema/constants';

/** At most this many reports per page load, so an error loop cannot flood anyone's Sentry. */
export const MAX_REPORTS_PER_PAGE = 10;

type Source = 'error' | 'unhandledrejection';

export interface ErrorEventTarget {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
  location?: { pathname: string };
}

export interface ErrorReportingOptions {
  dsn: string | undefined;
  version: string;
  /** The window in the browser. */
  target: ErrorEventTarget;
  fetch: typeof fetch;
  warn?: (message: string) => void;
  now?: () => Date;
}

export interface DashboardErrorReporter {
  readonly enabled: boolean;
  /** Sends one report unless the page's budget is spent or this error was already sent; true if sent. */
  report(thrown: unknown, source: Source): boolean;
  stop(): void;
}

const OFF: DashboardErrorReporter = { enabled: false, report: () => false, stop: () => undefined };

// `?query` or `#fragment` after a URL or a path, keeping a stack frame's `:line:column`.
const QUERY_IN_URL = /((?:\b[a-z][a-z0-9+.-]*:\/\/|\/)[^\s?#"'`<>()]*)[?#][^\s"'`<>()]+?((?::\d+){1,2})?(?=[\s"'`<>()]|$)/gi;

export function stripQueryStrings(text: string): string {
  return text.replace(QUERY_IN_URL, '$1$2');
}

/**
 * Twice what an event keeps, ending at a word boundary so that no half of an email address or a
 * key escapes the scrubbing. Its patterns take time quadratic in a long word: a megabyte of JSON
 * in a message must not freeze the tab.
 */
export function bounded(text: string, max: number): string {
  if (text.length <= 2 * max) return text;
  const head = text.slice(0, 2 * max);
  const lastSpace = head.search(/\s\S*$/);
  return `${lastSpace > 0 ? head.slice(0, lastSpace) : ''} […]`;
}

/**
 * Like schema's describeThrown, except that a thrown value that is not an Error or a string is
 * named by its type only: a rejected promise may carry a document, and its contents stay here.
 */
function describe(thrown: unknown): { type: string; message: string; stack?: string } {
  const clean = (text: string, max: number) => stripQueryStrings(bounded(text, max));
  if (thrown instanceof Error) {
    const stack = thrown.stack ? clean(thrown.stack, LIMITS.crashStackText) : undefined;
    return { type: thrown.name || 'Error', message: clean(thrown.message, LIMITS.messageText), ...(stack ? { stack } : {}) };
  }
  if (typeof thrown === 'string') return { type: 'NonError', message: clean(thrown, LIMITS.messageText) };
  return { type: 'NonError', message: `a value of type ${thrown === null ? 'null' : typeof thrown} was thrown` };
}

function randomEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function startErrorReporting(options: ErrorReportingOptions): DashboardErrorReporter {
  if (!options.dsn?.trim()) return OFF;
  const warn = options.warn ?? console.warn;
  const target = parseSentryDsn(options.dsn);
  if (!target) {
    warn('NEXT_PUBLIC_SENTRY_DSN is not a Sentry DSN (https://<public key>@<host>/<project id>): error reporting is off.');
    return OFF;
  }
  // Sentry's old DSN form carries a secret, and the build has copied the DSN into the page.
  if (new URL(options.dsn.trim()).password) {
    warn('NEXT_PUBLIC_SENTRY_DSN has a secret part (key:secret@), which the build has made public: use the DSN without it. Error reporting is off.');
    return OFF;
  }
  const url = browserEnvelopeUrl(target, options.version);
  const sent = new Set<string>();
  const report = (thrown: unknown, source: Source): boolean => {
    const facts = describe(thrown);
    const key = `${facts.type}\n${facts.message}`;
    if (sent.size >= MAX_REPORTS_PER_PAGE || sent.has(key)) return false;
    sent.add(key);
    try {
      const body = sentryEnvelope({
        ...facts,
        component: 'dashboard',
        version: options.version,
        handled: false,
        tags: { page: options.target.location?.pathname ?? 'unknown', source },
        eventId: randomEventId(),
        now: (options.now ?? (() => new Date()))(),
      });
      // A text/plain body with the key in the URL is a simple request (no CORS preflight); keepalive
      // lets it finish while the page unloads; no cookies, and no Referer with the page's query.
      options.fetch(url, { method: 'POST', body, keepalive: true, credentials: 'omit', referrerPolicy: 'no-referrer' }).catch(() => undefined);
      return true;
    } catch {
      // Thrown from an error listener, this would be one more error to report, and so on.
      return false;
    }
  };
  const onError = (event: Event) => {
    // No error object: a cross-origin "Script error." or a ResizeObserver notice, nothing to act on.
    const error = (event as ErrorEvent).error as unknown;
    if (error !== undefined && error !== null) report(error, 'error');
  };
  const onRejection = (event: Event) => {
    report((event as PromiseRejectionEvent).reason, 'unhandledrejection');
  };
  options.target.addEventListener('error', onError);
  options.target.addEventListener('unhandledrejection', onRejection);
  return {
    enabled: true,
    report,
    stop() {
      options.target.removeEventListener('error', onError);
      options.target.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

// Kept on globalThis so that a dev hot reload does not register the listeners twice.
const holder = globalThis as typeof globalThis & { __vigilErrorReporter?: DashboardErrorReporter };

/** Once per page load, in the browser, from the root providers. Does nothing without a DSN. */
export function initErrorReporting(): DashboardErrorReporter {
  // Read here, written out in full, rather than in env.ts: Next inlines it, and when it is empty
  // (web/.env.production) the minifier drops everything below and, with it, this whole module.
  const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
  // Off: not even the holder is set, so the page keeps no trace of the feature.
  if (!dsn || typeof window === 'undefined') return OFF;
  if (holder.__vigilErrorReporter) return holder.__vigilErrorReporter;
  // fetch wrapped: called as a method of the options object, the bare window.fetch would throw.
  const reporter = startErrorReporting({ dsn, version: packageJson.version, target: window, fetch: (...args) => fetch(...args) });
  holder.__vigilErrorReporter = {
    ...reporter,
    stop() {
      reporter.stop();
      delete holder.__vigilErrorReporter;
    },
  };
  return holder.__vigilErrorReporter;
}
