// The one place that decides how the Firebase emulators run on this machine. Every command that
// starts emulators (npm start, npm test, bench/) takes its environment from emulatorEnv().
//
// Offline machines carry the Firestore and Pub/Sub emulators of the Google Cloud CLI. firebase-tools
// runs the Firestore emulator as `java -jar FILE`, but the CLI's jar has no Main-Class, so we build a
// tiny launcher jar at run time whose manifest names the main class and puts the real jar on the
// class path. Where those files are absent, we set nothing and firebase-tools downloads as usual.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findJava } from './java.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROJECT_ID = 'demo-vigil';
// FUNCTIONS_REGION of @vigil/schema/constants, restated for plain Node (region.test.mjs pins it).
export const REGION = 'us-central1';
export const PORTS = {
  auth: 9099,
  firestore: 8080,
  functions: 5001,
  pubsub: 8085,
  hosting: 5000,
  hub: 4400,
  logging: 4500,
  eventarc: 9299,
  tasks: 9499,
  dashboard: 3000,
  mailSink: 8025,
};

const GCLOUD_SDK_ROOTS = ['/usr/lib/google-cloud-sdk', '/usr/share/google-cloud-sdk', '/opt/google-cloud-sdk'];
const FIRESTORE_MAIN_CLASS = 'com.google.cloud.datastore.emulator.firestore.CloudFirestore';
const WORK_DIR = path.join(REPO_ROOT, '.vigil', 'emulators');

function findInSdk(relativePath) {
  const roots = process.env.CLOUDSDK_ROOT_DIR ? [process.env.CLOUDSDK_ROOT_DIR, ...GCLOUD_SDK_ROOTS] : GCLOUD_SDK_ROOTS;
  return roots.map((root) => path.join(root, relativePath)).find((file) => existsSync(file));
}

/** Builds (once per source jar) a launcher jar whose manifest starts the Cloud SDK's Firestore emulator. */
function firestoreLauncherJar(java, emulatorJar) {
  const jarTool = path.join(java.home, 'bin', 'jar');
  if (!existsSync(jarTool)) return undefined;
  mkdirSync(WORK_DIR, { recursive: true });
  const launcher = path.join(WORK_DIR, 'firestore-launcher.jar');
  if (existsSync(launcher) && statSync(launcher).mtimeMs >= statSync(emulatorJar).mtimeMs) return launcher;
  const manifest = path.join(WORK_DIR, 'firestore-launcher.mf');
  writeFileSync(manifest, `Main-Class: ${FIRESTORE_MAIN_CLASS}\nClass-Path: ${pathToFileURL(emulatorJar).href}\n`);
  const result = spawnSync(jarTool, ['--create', '--file', launcher, '--manifest', manifest], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Could not build the Firestore launcher jar: ${result.stderr}`);
  return launcher;
}

/**
 * The Functions emulator reads secrets from functions/.secret.local. SENDGRID_API_KEY only has to be
 * non-empty there: in the emulators, mail goes to the local sink (functions/.env.local).
 */
function ensureLocalSecrets() {
  const file = path.join(REPO_ROOT, 'functions', '.secret.local');
  if (!existsSync(file)) writeFileSync(file, 'SENDGRID_API_KEY=SG.local-mail-sink\n', { mode: 0o600 });
}

/**
 * Returns the environment for firebase-tools: Java 21+ first on PATH and, where the Cloud SDK's
 * emulators are installed, the *_EMULATOR_BINARY_PATH variables that keep firebase-tools offline.
 */
export function emulatorEnv(baseEnv = process.env) {
  const java = findJava(baseEnv);
  ensureLocalSecrets();
  const env = {
    ...baseEnv,
    JAVA_HOME: java.home,
    PATH: `${path.join(java.home, 'bin')}${path.delimiter}${baseEnv.PATH ?? ''}`,
    GCLOUD_PROJECT: PROJECT_ID,
    // Nothing here runs on Google Cloud: stop the SDKs probing for a metadata server on every start.
    METADATA_SERVER_DETECTION: 'none',
  };
  const notes = [`Java ${java.major} at ${java.home}`];
  const firestoreJar = findInSdk('platform/cloud-firestore-emulator/cloud-firestore-emulator.jar');
  const launcher = firestoreJar && !baseEnv.FIRESTORE_EMULATOR_BINARY_PATH ? firestoreLauncherJar(java, firestoreJar) : undefined;
  if (launcher) {
    env.FIRESTORE_EMULATOR_BINARY_PATH = launcher;
    notes.push(`Firestore emulator from ${firestoreJar}`);
  }
  const pubsub = findInSdk('platform/pubsub-emulator/bin/cloud-pubsub-emulator');
  if (pubsub && !baseEnv.PUBSUB_EMULATOR_BINARY_PATH) {
    env.PUBSUB_EMULATOR_BINARY_PATH = pubsub;
    notes.push(`Pub/Sub emulator from ${pubsub}`);
  }
  if (!launcher && !baseEnv.FIRESTORE_EMULATOR_BINARY_PATH) notes.push('Firestore emulator: firebase-tools downloads it');
  return { env, notes };
}

export const firebaseBin = path.join(REPO_ROOT, 'node_modules', '.bin', 'firebase');
