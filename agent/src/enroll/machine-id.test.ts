import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashMachineId, machineIdHash, MACHINE_ID_FILE_VARIABLE, MachineIdError } from './machine-id.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function idFile(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-machine-id-'));
  dirs.push(dir);
  const file = path.join(dir, 'machine-id');
  writeFileSync(file, content);
  return file;
}

const RAW_ID = '4c4c4544004b4b10804ab4c04f4a3532';
const EXPECTED = createHash('sha256').update(`vigil:${RAW_ID}`).digest('hex');

describe('machine id', () => {
  it('is the SHA-256 hex of "vigil:" + the trimmed id, never the id itself', () => {
    expect(hashMachineId(`${RAW_ID}\n`)).toBe(EXPECTED);
    expect(hashMachineId(`  ${RAW_ID}  `)).toBe(EXPECTED);
    expect(EXPECTED).toMatch(/^[0-9a-f]{64}$/);
    expect(EXPECTED).not.toContain(RAW_ID);
    // Salted: not the bare hash a different tool would send for the same machine.
    expect(EXPECTED).not.toBe(createHash('sha256').update(RAW_ID).digest('hex'));
  });

  it('reads the file the test variable names, trimmed', async () => {
    expect(await machineIdHash({ [MACHINE_ID_FILE_VARIABLE]: idFile(`${RAW_ID}\n`) })).toBe(EXPECTED);
  });

  it('refuses a machine without an id: an empty or missing file', async () => {
    await expect(machineIdHash({ [MACHINE_ID_FILE_VARIABLE]: idFile('\n') })).rejects.toThrow(MachineIdError);
    await expect(machineIdHash({ [MACHINE_ID_FILE_VARIABLE]: '/nonexistent/machine-id' })).rejects.toThrow(
      /no machine id \(\/nonexistent\/machine-id is missing or empty\).*systemd-machine-id-setup/,
    );
  });

  it('refuses a file that is not a machine id, without quoting it', async () => {
    const error = await machineIdHash({ [MACHINE_ID_FILE_VARIABLE]: idFile('secret words here\n') }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(MachineIdError);
    expect((error as Error).message).toMatch(/does not hold a machine id/);
    expect((error as Error).message).not.toContain('secret');
  });
});
