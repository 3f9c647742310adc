// The rules tests' environment: firestore.rules loaded into the Firestore emulator for a project of
// their own. Not demo-vigil, which the functions emulator serves: its triggers would act on the
// rules tests' seeds (onMemberWritten rewrites users/{uid}.workspaces as soon as a member document
// is deleted), and each test's clearFirestore() would wipe what the functions wrote.
import { readFileSync } from 'node:fs';
import { initializeTestEnvironment, type RulesTestEnvironment } from '@firebase/rules-unit-testing';

export const RULES_PROJECT_ID = 'demo-vigil-rules';

function emulatorHostAndPort(): { host: string; port: number } {
  const value = process.env.FIRESTORE_EMULATOR_HOST ?? '';
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(value);
  if (!match) throw new Error(`FIRESTORE_EMULATOR_HOST must be host:port, got "${value}"`);
  return { host: match[1]!, port: Number(match[2]) };
}

export function rulesTestEnvironment(): Promise<RulesTestEnvironment> {
  return initializeTestEnvironment({
    projectId: RULES_PROJECT_ID,
    firestore: { rules: readFileSync(new URL('../../firestore.rules', import.meta.url), 'utf8'), ...emulatorHostAndPort() },
  });
}
