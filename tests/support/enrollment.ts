// Helpers for tests of enrollment (functions/src/enrollment/): a token made by a workspace's owner,
// and enrollAgent called as a host calls it (plain HTTP, the token in its header, no sign-in).
import { ENROLLMENT_TOKEN_HEADER, type CreateEnrollmentTokenInput, type CreateEnrollmentTokenResult } from '@vigil/schema';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import { callRaw, type SignedInClient } from './emulators.js';

/** What a host sends as machineId: SHA-256 hex of "vigil:" + its /etc/machine-id (here a random one). */
export function newMachineId(): string {
  return createHash('sha256')
    .update(`vigil:${randomBytes(16).toString('hex')}`)
    .digest('hex');
}

export function createToken(owner: SignedInClient, input: CreateEnrollmentTokenInput): Promise<CreateEnrollmentTokenResult> {
  return owner.call<CreateEnrollmentTokenResult>('createEnrollmentToken', input);
}

export function enrollHost(token: string | undefined, data: unknown) {
  return callRaw('enrollAgent', { data }, token === undefined ? {} : { [ENROLLMENT_TOKEN_HEADER]: token });
}

/**
 * The file the emulators write their and the functions' logs to, when there is one: the standard
 * output of the `firebase emulators:exec` this test runs under (scripts/emulators.mjs `--log FILE`,
 * or the file `npm test` is redirected to). Undefined when it is a terminal. Linux only (/proc).
 */
export function emulatorLogFile(): string | undefined {
  let pid = process.ppid;
  for (let depth = 0; pid > 1 && depth < 10; depth += 1) {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.includes('emulators:exec')) {
      const target = readlinkSync(`/proc/${pid}/fd/1`);
      return target.startsWith('/') && statSync(target).isFile() ? target : undefined;
    }
    // Field 4 of /proc/PID/stat is the parent; the command name (field 2) may contain spaces, so split after its ")".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  }
  return undefined;
}
