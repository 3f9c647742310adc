// The enrollment callables the dashboard uses (docs/architecture.md, "Enrollment"): tokens for
// owners and admins, and an agent's labels. Re-exported by callables.ts, so they load on demand
// with the other callables (lazy.ts); each reply's shape is checked before a page shows it.
import type {
  CreateEnrollmentTokenInput,
  CreateEnrollmentTokenResult,
  EnrollmentTokenRefInput,
  SetAgentLabelsInput,
  SetAgentLabelsResult,
} from '@vigil/schema';
import { httpsCallable, type Functions } from 'firebase/functions';
import { parseCreateEnrollmentTokenResult, parseSetAgentLabelsResult } from '../model/enrollment-token';

/** A new enrollment token; the token and its install command are in this reply only. */
export async function createEnrollmentToken(functions: Functions, input: CreateEnrollmentTokenInput): Promise<CreateEnrollmentTokenResult> {
  const result = await httpsCallable<CreateEnrollmentTokenInput, unknown>(functions, 'createEnrollmentToken')(input);
  return parseCreateEnrollmentTokenResult(result.data);
}

/** The token enrolls no more hosts; the agents it enrolled keep their keys. */
export async function revokeEnrollmentToken(functions: Functions, ref: EnrollmentTokenRefInput): Promise<void> {
  await httpsCallable<EnrollmentTokenRefInput, unknown>(functions, 'revokeEnrollmentToken')(ref);
}

/** Replaces the agent's labels (an empty map removes them all). */
export async function setAgentLabels(functions: Functions, input: SetAgentLabelsInput): Promise<SetAgentLabelsResult> {
  const result = await httpsCallable<SetAgentLabelsInput, unknown>(functions, 'setAgentLabels')(input);
  return parseSetAgentLabelsResult(result.data);
}
