// Integration and browser tests talk to the emulators only. Without them they would either fail
// confusingly or, worse, reach a real project: refuse to start instead.
const required = ['FIRESTORE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST'];
const missing = required.filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(
    `These tests need the Firebase emulators (${missing.join(', ')} not set). ` +
      'Run them with `npm test`, or `node scripts/emulators.mjs exec -- npx vitest run --project int`.',
  );
}
