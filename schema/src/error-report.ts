// Error reports to the operator's own Sentry, for the agent, the functions and the dashboard alike.
// Off unless a DSN is configured. Pure: this builds the DSN target, the event and the envelope
// (https://develop.sentry.dev/sdk/envelopes/); each component sends it with its own fetch.
// What an event holds, and nothing more: the error's type, message and stack (scrubbed of keys,
// credentials in URLs and email addresses), the component, its version and a few coarse tags
// chosen by the caller. No host name, no user, no request, no report contents.
// This module imports nothing, so the dashboard can bundle it without zod (through `@vigil/schema/constants`);
// the DSN's zod schema for the agent config is in sentry-dsn.ts.

/** Caps on what an event carries; equal to LIMITS.messageText and LIMITS.crashStackText (a test checks). */
export const ERROR_MESSAGE_MAX_CHARS = 2000;
export const ERROR_STACK_MAX_CHARS = 8192;

export const ERROR_REPORT_COMPONENTS = ['agent', 'relay', 'functions', 'dashboard'] as const;
export type ErrorReportComponent = (typeof ERROR_REPORT_COMPONENTS)[number];

export interface SentryTarget {
  /** `<scheme>://<host>[:port][/path]/api/<project id>/envelope/` */
  envelopeUrl: string;
  publicKey: string;
  projectId: string;
}

/**
 * `https://<public key>@<host>[/path]/<project id>`, as Sentry shows it under Client Keys (DSN).
 * A legacy DSN's secret (`key:secret@`) is ignored: it is never needed and never sent.
 */
export function parseSentryDsn(dsn: string | undefined): SentryTarget | undefined {
  const text = dsn?.trim();
  if (!text) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.username || url.search || url.hash) return undefined;
  const match = /^(.*)\/(\d+)\/?$/.exec(url.pathname);
  if (!match) return undefined;
  const [, prefix = '', projectId = ''] = match;
  return {
    envelopeUrl: `${url.protocol}//${url.host}${prefix}/api/${projectId}/envelope/`,
    publicKey: decodeURIComponent(url.username),
    projectId,
  };
}

/** The header a server-side sender authenticates with. */
export function sentryAuthHeader(target: SentryTarget, clientVersion: string): string {
  return `Sentry sentry_version=7, sentry_key=${target.publicKey}, sentry_client=vigil/${clientVersion}`;
}

/**
 * The envelope URL with the key in the query string, for browsers: together with a `text/plain`
 * body the POST is a simple request, with no CORS preflight for a custom header.
 */
export function browserEnvelopeUrl(target: SentryTarget, clientVersion: string): string {
  const query = new URLSearchParams({ sentry_version: '7', sentry_key: target.publicKey, sentry_client: `vigil/${clientVersion}` });
  return `${target.envelopeUrl}?${query.toString()}`;
}

const SCRUBBERS: [RegExp, string][] = [
  // Vigil agent keys, wherever an error message might have picked one up.
  [/vgl_[A-Za-z0-9_-]+/g, 'vgl_[redacted]'],
  // user:password@ in URLs (including a Sentry DSN's own key).
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1[redacted]@'],
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[email]'],
];

/** Removes what must never leave a component in an error text: keys, credentials, email addresses. */
export function scrubErrorText(text: string): string {
  return SCRUBBERS.reduce((clean, [pattern, replacement]) => clean.replace(pattern, replacement), text);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How far past the cap a text is kept for scrubbing, so a secret across the cap is still whole. */
const SCRUB_SLACK = 512;

/**
 * Scrubbed, then cut to max. The scrubbing patterns cost time quadratic in the length of one long
 * word, so a huge text is first bounded a little past the cap, at a space where there is one.
 */
export function scrubbedAndCut(text: string, max: number): string {
  let bounded = text;
  if (text.length > max + SCRUB_SLACK) {
    bounded = text.slice(0, max + SCRUB_SLACK);
    const space = bounded.search(/\s\S*$/);
    if (space >= max) bounded = bounded.slice(0, space);
  }
  return cut(scrubErrorText(bounded), max);
}

export interface StackFrame {
  function?: string;
  filename: string;
  lineno?: number;
  colno?: number;
}

const MAX_FRAMES = 50;

/** V8 stack lines (`    at fn (file:1:2)`) as Sentry frames, oldest call first as Sentry wants them. */
export function stackFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s*at (?:(.+?) \()?(.+?)(?::(\d+))?(?::(\d+))?\)?$/.exec(line);
    if (!match) continue;
    const [, fn, filename = '', lineno, colno] = match;
    frames.push({
      ...(fn ? { function: fn } : {}),
      filename,
      ...(lineno ? { lineno: Number(lineno) } : {}),
      ...(colno ? { colno: Number(colno) } : {}),
    });
    if (frames.length >= MAX_FRAMES) break;
  }
  return frames.reverse();
}

export interface ErrorReportInput {
  component: ErrorReportComponent;
  version: string;
  /** The error's class name, e.g. `TypeError`. */
  type: string;
  message: string;
  stack?: string;
  /** False for a crash (uncaught), true for an error that was caught and logged. */
  handled: boolean;
  /** Coarse context only: a command, a function name, a runtime version. Never host or user data. */
  tags?: Record<string, string>;
  /** 32 lower-case hex digits (a UUID without dashes). */
  eventId: string;
  now: Date;
}

/** The facts of an error, whatever was thrown. */
export function describeThrown(thrown: unknown): { type: string; message: string; stack?: string } {
  if (thrown instanceof Error) {
    return { type: thrown.name || 'Error', message: thrown.message, ...(thrown.stack ? { stack: thrown.stack } : {}) };
  }
  let message: string;
  try {
    message = typeof thrown === 'string' ? thrown : (JSON.stringify(thrown) ?? String(thrown));
  } catch {
    message = String(thrown);
  }
  return { type: 'NonError', message };
}

export function sentryEvent(input: ErrorReportInput): Record<string, unknown> {
  const message = scrubbedAndCut(input.message, ERROR_MESSAGE_MAX_CHARS);
  const stack = input.stack ? scrubbedAndCut(input.stack, ERROR_STACK_MAX_CHARS) : undefined;
  const frames = stack ? stackFrames(stack) : [];
  const tags: Record<string, string> = { component: input.component };
  for (const [name, value] of Object.entries(input.tags ?? {}).slice(0, 10)) tags[cut(name, 32)] = scrubbedAndCut(value, 200);
  return {
    event_id: input.eventId,
    timestamp: input.now.getTime() / 1000,
    platform: input.component === 'dashboard' ? 'javascript' : 'node',
    level: input.handled ? 'error' : 'fatal',
    logger: `vigil.${input.component}`,
    release: `vigil-${input.component}@${cut(input.version, 64)}`,
    tags,
    exception: {
      values: [
        {
          type: cut(input.type, 100),
          value: message,
          mechanism: { type: 'generic', handled: input.handled },
          ...(frames.length ? { stacktrace: { frames } } : {}),
        },
      ],
    },
    // The stack as text too: frames from a minified bundle may not parse, the text always reads.
    ...(stack ? { extra: { stack } } : {}),
  };
}

/** One event as a Sentry envelope: envelope header, item header, payload, one JSON document per line. */
export function sentryEnvelope(input: ErrorReportInput): string {
  const payload = JSON.stringify(sentryEvent(input));
  const header = { event_id: input.eventId, sent_at: input.now.toISOString(), sdk: { name: 'vigil', version: input.version } };
  const itemHeader = { type: 'event', length: new TextEncoder().encode(payload).length, content_type: 'application/json' };
  return `${JSON.stringify(header)}\n${JSON.stringify(itemHeader)}\n${payload}\n`;
}
