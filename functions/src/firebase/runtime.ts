import { FUNCTIONS_REGION } from '@vigil/schema';

/** The region every function is deployed to (one home: `@vigil/schema/constants`). */
export const REGION = FUNCTIONS_REGION;

/** The project id the functions run in (GCLOUD_PROJECT is set by the runtime and the emulator). */
export function projectId(): string {
  return process.env.GCLOUD_PROJECT ?? process.env.GCP_PROJECT ?? 'demo-vigil';
}

export function isEmulator(): boolean {
  return process.env.FUNCTIONS_EMULATOR === 'true';
}

/** The URL agents send reports to. */
export function ingestUrl(override: string): string {
  if (override) return override.replace(/\/+$/, '');
  if (isEmulator()) return `http://127.0.0.1:5001/${projectId()}/${REGION}/ingestReport`;
  return `https://${REGION}-${projectId()}.cloudfunctions.net/ingestReport`;
}
