import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installCommand } from './install-command.js';

const SCRIPT = '#!/bin/sh\necho "installer ran with: $*"\n';
const assets = { installScriptSha256: createHash('sha256').update(SCRIPT).digest('hex'), bundleSha256: 'b'.repeat(64) };
const token = `vgle_${'a'.repeat(16)}_${'S'.repeat(43)}`;
const input = { dashboardUrl: 'https://vigil.example.com/', ingestUrl: 'https://ingest.example.com', token, assets };

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/**
 * Runs the command in a real sh with a stand-in curl that "downloads" `served` and a stand-in sudo
 * that runs its command as it is: what reaches the installer, and whether it runs at all.
 */
function runCommand(command: string, served: string): string {
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-install-command-'));
  const bin = path.join(dir, 'bin');
  execFileSync('mkdir', [bin]);
  writeFileSync(path.join(dir, 'served'), served);
  // curl ... -o FILE URL: writes the served text to FILE and logs its arguments.
  writeFileSync(
    path.join(bin, 'curl'),
    `#!/bin/sh\necho "curl $*" >>"${dir}/calls"\nwhile [ $# -gt 0 ]; do if [ "$1" = -o ]; then cp "${dir}/served" "$2"; fi; shift; done\n`,
    { mode: 0o755 },
  );
  writeFileSync(path.join(bin, 'sudo'), '#!/bin/sh\nexec "$@"\n', { mode: 0o755 });
  return execFileSync('sh', ['-c', `${command} 2>&1; echo "exit=$?"`], {
    env: { PATH: `${bin}:/usr/bin:/bin`, TMPDIR: dir },
    encoding: 'utf8',
  });
}

describe('installCommand', () => {
  it('downloads the script over https only, checks its SHA-256, then runs it with the bundle SHA-256', () => {
    const command = installCommand(input);
    expect(command).toBe(
      `f=$(mktemp) && curl -fsSL --proto '=https' --proto-redir '=https' -o "$f" https://vigil.example.com/install.sh` +
        ` && echo "${assets.installScriptSha256}  $f" | sha256sum -c --quiet -` +
        ` && sudo sh "$f" --token ${token} --endpoint https://ingest.example.com --from https://vigil.example.com --sha256 ${'b'.repeat(64)}; rm -f "$f"`,
    );
    expect(command).not.toMatch(/\|\s*(sudo )?sh\b/); // never piped into a shell
  });

  it('runs the script it checked, and nothing when the script is not the one it names', () => {
    const ran = runCommand(installCommand(input), SCRIPT);
    expect(ran).toContain(
      `installer ran with: --token ${token} --endpoint https://ingest.example.com --from https://vigil.example.com --sha256 ${'b'.repeat(64)}`,
    );
    const swapped = runCommand(installCommand(input), '#!/bin/sh\necho "evil installer ran"\n');
    expect(swapped).not.toContain('evil installer ran');
    expect(swapped).toMatch(/FAILED/);
  });

  it('allows plain http only to this machine (the emulators of npm start)', () => {
    const local = installCommand({
      ...input,
      dashboardUrl: 'http://localhost:3000',
      ingestUrl: 'http://127.0.0.1:5001/demo-vigil/us-central1/ingestReport',
    });
    expect(local).toContain(`curl -fsSL --proto '=http,https' --proto-redir '=https' -o "$f" http://localhost:3000/install.sh`);
    expect(local).toContain('--from http://localhost:3000 ');
    expect(() => installCommand({ ...input, dashboardUrl: 'http://vigil.example.com' })).toThrow(/DASHBOARD_URL must be https:\/\//);
    expect(() => installCommand({ ...input, ingestUrl: 'http://ingest.example.com' })).toThrow(/ingest URL must be https:\/\//);
  });

  it('carries an enrollment token, never a key, and refuses a token a shell would read', () => {
    const ran = runCommand(installCommand(input), SCRIPT);
    expect(ran).not.toContain('--key');
    expect(() => installCommand({ ...input, token: 'x; rm -rf /' })).toThrow(/letters, digits/);
    expect(() => installCommand({ ...input, token: '$(id)' })).toThrow(/letters, digits/);
  });

  it("re-enrolls a host that has a key already with --force-enroll (rotateAgentKey's command); never otherwise", () => {
    const ran = runCommand(installCommand({ ...input, forceEnroll: true }), SCRIPT);
    expect(ran).toContain(
      `installer ran with: --token ${token} --force-enroll --endpoint https://ingest.example.com --from https://vigil.example.com --sha256 ${'b'.repeat(64)}`,
    );
    expect(installCommand({ ...input, forceEnroll: false })).not.toContain('--force-enroll');
    expect(installCommand(input)).not.toContain('--force-enroll');
  });

  it('refuses hashes that are not SHA-256 hex', () => {
    expect(() => installCommand({ ...input, assets: { ...assets, bundleSha256: 'abc' } })).toThrow(/SHA-256/);
  });
});
