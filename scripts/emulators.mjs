#!/usr/bin/env node
// The emulator harness CLI. Every command that needs emulators goes through here:
//   node scripts/emulators.mjs exec [--only auth,firestore,...] -- <command> [args...]
//   node scripts/emulators.mjs env      prints what the harness found (Java, offline emulators)
// `exec` runs the command under `firebase emulators:exec`, which sets FIRESTORE_EMULATOR_HOST and
// friends for it and stops every emulator when it ends.
import { spawn } from 'node:child_process';
import { emulatorEnv, firebaseBin, PORTS, PROJECT_ID, REPO_ROOT } from './lib/emulator-env.mjs';
import { acquireEmulatorLock } from './lib/emulator-lock.mjs';
import { startMailSink } from './lib/mail-sink-server.mjs';

export const ALL_EMULATORS = 'auth,firestore,functions,pubsub,hosting';

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node scripts/emulators.mjs exec [--only LIST] -- COMMAND [ARGS...] | env');
  process.exit(2);
}

async function main(argv) {
  const [verb, ...rest] = argv;
  let harness;
  try {
    harness = emulatorEnv();
  } catch (error) {
    console.error(error.message);
    process.exit(3);
  }
  if (verb === 'env') {
    for (const note of harness.notes) console.log(note);
    return;
  }
  if (verb !== 'exec') usage(`unknown command: ${verb ?? '(none)'}`);
  let only = ALL_EMULATORS;
  const separator = rest.indexOf('--');
  if (separator < 0) usage('exec needs `--` before the command');
  const options = rest.slice(0, separator);
  const command = rest.slice(separator + 1);
  if (options[0] === '--only' && options[1]) only = options[1];
  if (command.length === 0) usage('exec needs a command');
  await acquireEmulatorLock({ onWait: (pid) => console.log(`[emulators] waiting for process ${pid}, which is using the emulators…`) });
  for (const note of harness.notes) console.log(`[emulators] ${note}`);
  // The local SendGrid stand-in is part of the suite: the functions send alert mail to it.
  const mailSink = await startMailSink({ port: PORTS.mailSink });
  console.log(`[emulators] mail sink at ${mailSink.url}`);

  const child = spawn(
    firebaseBin,
    ['emulators:exec', '--project', PROJECT_ID, '--only', only, command.map(shellQuote).join(' ')],
    { cwd: REPO_ROOT, env: harness.env, stdio: 'inherit' },
  );
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', async (code, signal) => {
    await mailSink.close();
    process.exit(code ?? (signal ? 1 : 0));
  });
}

main(process.argv.slice(2));
