// The agent's error reports to the operator's own Sentry (`error_reporting_dsn` or VIGIL_SENTRY_DSN).
// Without a DSN the reporter is inert: it never calls fetch, so nothing leaves the host.
// With one, an error becomes one envelope (@vigil/schema error-report.ts: type, message and stack,
// scrubbed; component, version, coarse tags) in one POST, bounded by a short timeout. It never
// throws: reporting an error must not become another error.
import { describeThrown, parseSentryDsn, sentryAuthHeader, sentryEnvelope, type ErrorReportComponent } from '@vigil/schema';
import { randomUUID } from 'node:crypto';

export interface ErrorReporter {
  readonly enabled: boolean;
  /** Resolves true when Sentry accepted the event; false when off, refused or unreachable. */
  report(thrown: unknown, options: { handled: boolean; tags?: Record<string, string> }): Promise<boolean>;
}

export interface ErrorReporterOptions {
  dsn: string | undefined;
  component?: Extract<ErrorReportComponent, 'agent' | 'relay'>;
  version: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => Date;
  newEventId?: () => string;
}

export const disabledErrorReporter: ErrorReporter = { enabled: false, report: async () => false };

export function createErrorReporter(options: ErrorReporterOptions): ErrorReporter {
  const target = parseSentryDsn(options.dsn);
  if (!target) return disabledErrorReporter;
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const component = options.component ?? 'agent';
  const timeoutMs = options.timeoutMs ?? 5_000;
  return {
    enabled: true,
    async report(thrown, { handled, tags }) {
      try {
        const body = sentryEnvelope({
          ...describeThrown(thrown),
          component,
          version: options.version,
          handled,
          tags: { node: process.versions.node, ...tags },
          eventId: (options.newEventId ?? (() => randomUUID().replace(/-/g, '')))(),
          now: (options.now ?? (() => new Date()))(),
        });
        const response = await fetchImpl(target.envelopeUrl, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-sentry-envelope',
            'x-sentry-auth': sentryAuthHeader(target, options.version),
          },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.arrayBuffer().catch(() => undefined);
        return response.ok;
      } catch {
        return false;
      }
    },
  };
}
