// Every deploy-time setting of the functions, read in one place.
import { defineString } from 'firebase-functions/params';

/** Where people open the dashboard; install commands and emails link here. */
export const dashboardUrl = defineString('DASHBOARD_URL', {
  default: 'http://127.0.0.1:5000',
  description: 'Public URL of the Vigil dashboard (Firebase Hosting), without a trailing slash.',
});

/** Overrides the ingest URL written into install commands (for a custom domain or a relay). */
export const publicIngestUrl = defineString('PUBLIC_INGEST_URL', {
  default: '',
  description: 'Public URL of the ingestReport function; empty means the default cloudfunctions.net URL.',
});
