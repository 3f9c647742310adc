#!/usr/bin/env node
// The emulator harness CLI. Every command that needs emulators goes through here:
//   node scripts/emulators.mjs exec [--only auth,firestore,...] [--log FILE] -- <command> [args...]
//   node scripts/emulators.mjs env      prints what the harness found (Java, offline emulators)
// `exec` runs the command under `firebase emulators:exec`, which sets FIRESTORE_EMULATOR_HOST and
// friends for it and stops every emulator when it ends.
// By default everything prints to the terminal (what one wants when running one file by hand).
// With --log FILE (what `npm test` uses), firebase-tools' output, the emulators' and the functions'
// logs, goes to FILE and only the command's own output to the terminal; if the run fails, the
// file's tail and its path are printed. firebase-tools starts the command with its own stdout, so
// the command is pointed back at ours through /proc/PID/fd (Linux); elsewhere --log is refused, and
// where our stdout is a regular file (`npm test > out.txt`) the logs stay inline (see below).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { emulatorEnv, firebaseBin, PORTS, PROJECT_ID, REPO_ROOT } from './lib/emulator-env.mjs';
import { acquireEmulatorLock } from './lib/emulator-lock.mjs';
import { logTail, parseExecArgs } from './lib/exec-options.mjs';
import { startMailSink } from './lib/mail-sink-server.mjs';

function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node scripts/emulators.mjs exec [--only LIST] [--log FILE] -- COMMAND [ARGS...] | env');
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
  let parsed;
  try {
    parsed = parseExecArgs(rest);
  } catch (error) {
    usage(error.message);
  }
  const { only, command } = parsed;
  // A regular file as our stdout cannot take the command's output through /proc: that opens a second
  // description of the file whose writes our own later writes would overwrite. Logs stay inline there.
  const stdoutIsFile = fstatSync(1).isFile();
  if (parsed.logFile && stdoutIsFile) console.log('[emulators] stdout is a file: the emulator logs go there too, not to --log');
  const logFile = parsed.logFile && !stdoutIsFile ? path.resolve(parsed.logFile) : undefined;
  if (logFile && !existsSync(`/proc/${process.pid}/fd/1`)) usage('--log needs /proc (Linux); run without it to see the logs in the terminal');
  await acquireEmulatorLock({ onWait: (pid) => console.log(`[emulators] waiting for process ${pid}, which is using the emulators…`) });
  const log = logFile ? openLog(logFile) : undefined;
  const say = (line) => (log ? log.write(line) : console.log(line));
  for (const note of harness.notes) say(`[emulators] ${note}`);
  // The local SendGrid stand-in is part of the suite: the functions send alert mail to it.
  const mailSink = await startMailSink({ port: PORTS.mailSink });
  say(`[emulators] mail sink at ${mailSink.url}`);
  if (log) console.log(`[emulators] emulator and function logs: ${path.relative(process.cwd(), log.file) || log.file}`);

  let script = command.map(shellQuote).join(' ');
  // Appending (>>) keeps a regular file's earlier contents; pipes and terminals do not care.
  if (log) script = `${script} >>/proc/${process.pid}/fd/1 2>>/proc/${process.pid}/fd/2`;
  const child = spawn(firebaseBin, ['emulators:exec', '--project', PROJECT_ID, '--only', only, script], {
    cwd: REPO_ROOT,
    env: harness.env,
    stdio: log ? ['inherit', log.fd, log.fd] : 'inherit',
  });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  // An async listener's promise is dropped by the emitter: `void` says so.
  child.on('exit', (code, signal) => void afterExit(code, signal));
  async function afterExit(code, signal) {
    await mailSink.close();
    const status = code ?? (signal ? 1 : 0);
    if (log) {
      closeSync(log.fd);
      if (status !== 0) printTail(log.file);
    }
    process.exit(status);
  }
}

/** A fresh log file for this run: firebase-tools writes to its descriptor, we add our notes. */
function openLog(file) {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'w');
  return { file, fd, write: (line) => writeSync(fd, `${line}\n`) };
}

function printTail(file) {
  const { total, tail } = logTail(readFileSync(file, 'utf8'));
  console.error(`\n--- the emulators' and functions' log, last ${tail.length} of ${total} lines ---`);
  console.error(tail.join('\n'));
  console.error(`--- the whole log: ${file} ---`);
}

void main(process.argv.slice(2));
