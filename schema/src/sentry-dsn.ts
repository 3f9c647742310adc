// The agent config's `error_reporting_dsn`: a Sentry DSN that parseSentryDsn accepts.
import { z } from 'zod';
import { parseSentryDsn } from './error-report.js';

export const sentryDsnSchema = z
  .string({ error: 'must be a Sentry DSN' })
  .max(2048, 'must be at most 2048 characters')
  .refine((value) => parseSentryDsn(value) !== undefined, 'must be a Sentry DSN: https://<public key>@<host>/<project id>');
