// The machine's identity for enrollment: the SHA-256 of "vigil:" + /etc/machine-id. The server keys
// re-enrollment on it (the same machine gets its agent back, with a new key), so a machine without a
// stable id cannot enroll: every run would make another agent. The raw id is confidential
// (machine-id(5): it must not leave the host as it is), so only the salted hash is sent.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** systemd's file, then D-Bus's older one (the same id on systemd hosts, the only one on some others). */
export const MACHINE_ID_FILES = ['/etc/machine-id', '/var/lib/dbus/machine-id'] as const;

/**
 * For tests only: a file read instead of MACHINE_ID_FILES, so a test can be "another machine" or
 * "the same machine again" without touching the host's id.
 */
export const MACHINE_ID_FILE_VARIABLE = 'VIGIL_MACHINE_ID_FILE';

/** machine-id(5) is 32 hex digits; a longer file is not one. */
const MAX_MACHINE_ID_BYTES = 256;

export class MachineIdError extends Error {
  override name = 'MachineIdError';
}

/** The id as the server stores it: lower-case hex SHA-256 of "vigil:" + the trimmed id. */
export function hashMachineId(rawId: string): string {
  return createHash('sha256').update(`vigil:${rawId.trim()}`).digest('hex');
}

/** The first usable id file's contents, trimmed; undefined when absent or empty. */
async function readIdFile(file: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new MachineIdError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const id = text.trim();
  if (id === '') return undefined;
  if (Buffer.byteLength(id) > MAX_MACHINE_ID_BYTES || /[\s\u0000-\u001f]/.test(id)) {
    throw new MachineIdError(`${file} does not hold a machine id (one line of hex digits, machine-id(5))`);
  }
  return id;
}

/** The hashed machine id, from the test override when set, else the first of MACHINE_ID_FILES that holds one. */
export async function machineIdHash(env: Record<string, string | undefined>): Promise<string> {
  const override = env[MACHINE_ID_FILE_VARIABLE];
  const files = override ? [override] : MACHINE_ID_FILES;
  for (const file of files) {
    const id = await readIdFile(file);
    if (id !== undefined) return hashMachineId(id);
  }
  throw new MachineIdError(
    `this machine has no machine id (${files.join(' or ')} is missing or empty); without a stable id every enrollment would add another agent. ` +
      'Run "systemd-machine-id-setup" (or "dbus-uuidgen --ensure") as root, then enroll again',
  );
}
