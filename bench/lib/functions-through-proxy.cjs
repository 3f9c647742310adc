// Preloaded into every Node process of a fleet run (NODE_OPTIONS=--require, set by bench/fleet.mjs),
// it acts only in the functions emulator's workers (the processes running functionsEmulatorRuntime):
// there it points FIRESTORE_EMULATOR_HOST at the counting proxy before any function code loads. The
// functions emulator sets that variable for each worker from the Firestore emulator's own address,
// so without this the workers would talk to the emulator directly, uncounted. Every worker gets it,
// whatever function it serves: a trigger added tomorrow is counted like the others.
'use strict';
const proxy = process.env.VIGIL_FLEET_FUNCTIONS_FIRESTORE;
if (proxy && process.argv.some((arg) => arg.includes('functionsEmulatorRuntime'))) {
  process.env.FIRESTORE_EMULATOR_HOST = proxy;
  // firebase-tools sets this alternative name too; the SDKs read the first.
  process.env.FIREBASE_FIRESTORE_EMULATOR_ADDRESS = proxy;
}
