// Unexpected errors of the functions, reported to the operator's own Sentry when SENTRY_DSN is set
// (params.ts); with it empty (the default) the reporter is inert and never calls fetch.
// Refusals (HttpsError: bad key, invalid report, rate limit…) are answers, not errors: never
// reported. What an event holds is built by @vigil/schema (error-report.ts): the error's type,
// message and stack scrubbed of keys, credentials and email addresses, the function's name, the
// version and the Node version. Never a request, a report, a document or a user.
import { describeThrown, parseSentryDsn, sentryAuthHeader, sentryEnvelope } from '@vigil/schema';
import { logger } from 'firebase-functions';
import { HttpsError } from 'firebase-functions/v2/https';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { sentryDsn } from '../params.js';

export interface FunctionsErrorReporter {
  readonly enabled: boolean;
  report(thrown: unknown, functionName: string): Promise<boolean>;
}

export interface FunctionsErrorReporterOptions {
  dsn: string | undefined;
  version: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
}

export function createFunctionsErrorReporter(options: FunctionsErrorReporterOptions): FunctionsErrorReporter {
  const target = parseSentryDsn(options.dsn);
  if (!target) {
    // Set but unusable: say so once (per instance and DSN), or the operator waits for reports that never come.
    if (options.dsn?.trim()) {
      logger.warn('SENTRY_DSN is not a Sentry DSN (https://<public key>@<host>/<project id>): error reporting is off');
    }
    return { enabled: false, report: async () => false };
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return {
    enabled: true,
    async report(thrown, functionName) {
      try {
        const body = sentryEnvelope({
          ...describeThrown(thrown),
          component: 'functions',
          version: options.version,
          handled: false,
          tags: { function: functionName, node: process.versions.node },
          eventId: randomUUID().replace(/-/g, ''),
          now: (options.now ?? (() => new Date()))(),
        });
        const response = await fetchImpl(target.envelopeUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': sentryAuthHeader(target, options.version) },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 3_000),
        });
        await response.arrayBuffer().catch(() => undefined);
        return response.ok;
      } catch (error) {
        logger.warn('could not report an error to Sentry', { reason: error instanceof Error ? error.name : 'unknown' });
        return false;
      }
    },
  };
}

/** functions/package.json's version: next to lib/ when deployed or emulated, two levels up from src/error-reporting in tests. */
function functionsVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@vigil/functions' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}

let cached: { dsn: string; reporter: FunctionsErrorReporter } | undefined;

/** The reporter for the deployed configuration, made once per DSN. */
export function configuredErrorReporter(): FunctionsErrorReporter {
  let dsn = '';
  try {
    dsn = sentryDsn.value();
  } catch {
    dsn = process.env.SENTRY_DSN ?? '';
  }
  if (cached?.dsn !== dsn) cached = { dsn, reporter: createFunctionsErrorReporter({ dsn, version: functionsVersion() }) };
  return cached.reporter;
}

/**
 * The handler, with its unexpected errors reported before they propagate unchanged (the platform
 * still logs them and callers still get a bare `internal`).
 */
export function reportingErrors<A extends unknown[], R>(
  functionName: string,
  handler: (...args: A) => R | Promise<R>,
  reporter: () => FunctionsErrorReporter = configuredErrorReporter,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      if (!(error instanceof HttpsError)) {
        const current = reporter();
        if (current.enabled) await current.report(error, functionName);
      }
      throw error;
    }
  };
}
