// Where a key rotation the agent carries out itself stands (docs/architecture.md, "Agent keys"):
// requested (every ingest reply to its current key asks it), its new key fetched (both keys work
// until the first report made with the new one promotes it), or that key left unused past
// KEY_ROTATION.pendingKeySeconds (refused; the next reply asks the agent again). Pure: the agent
// page and the agents list word it; the time format comes in.
import { KEY_ROTATION } from '@vigil/schema/constants';
import type { KeyRotationView } from '../model/agent';

export type RotationStep = 'waiting-for-fetch' | 'waiting-for-report' | 'fetched-key-expired';

export function rotationStep(rotation: KeyRotationView, nowMs: number): RotationStep {
  if (!rotation.fetchedAt || !rotation.pendingKey) return 'waiting-for-fetch';
  return nowMs - rotation.fetchedAt.getTime() < KEY_ROTATION.pendingKeySeconds * 1000 ? 'waiting-for-report' : 'fetched-key-expired';
}

/** "requested by ana@example.com", "requested from the dashboard" (address unknown), "automatic". */
export function rotationRequester(rotation: KeyRotationView): string {
  if (rotation.reason === 'automatic') return 'automatic';
  return rotation.requestedByEmail ? `requested by ${rotation.requestedByEmail}` : 'requested from the dashboard';
}

/**
 * The agent page's sentence: "Key rotation pending since <time> (requested by …), waiting for the
 * agent to fetch its new key." and its later steps. `formatTime` words a time (the page's locale).
 */
export function rotationPendingText(rotation: KeyRotationView, nowMs: number, formatTime: (date: Date) => string): string {
  const head = `Key rotation pending since ${formatTime(rotation.requestedAt)} (${rotationRequester(rotation)})`;
  const fetched = rotation.fetchedAt ? formatTime(rotation.fetchedAt) : '';
  switch (rotationStep(rotation, nowMs)) {
    case 'waiting-for-fetch':
      return `${head}, waiting for the agent to fetch its new key.`;
    case 'waiting-for-report':
      return `${head}, new key fetched at ${fetched}, waiting for its first report.`;
    case 'fetched-key-expired':
      return `${head}: the key fetched at ${fetched} was not used within ${KEY_ROTATION.pendingKeySeconds / 3600} hours and no longer works; its current key still does, and its next report asks it to fetch another.`;
  }
}

/** The agents list's short marker: its badge's words. */
export function rotationMarkerLabel(rotation: KeyRotationView, nowMs: number): string {
  return rotationStep(rotation, nowMs) === 'waiting-for-report' ? 'New key fetched' : 'Key rotation pending';
}
