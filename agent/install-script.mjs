// Assembles the served install.sh from its source, agent/install.sh, and the systemd units of
// agent/systemd/, so each unit exists once: every `#include systemd/<file>` line of the source (inside
// a quoted heredoc) becomes that file's text. agent/build.mjs writes the result to dist/install.sh;
// the Hosting copy, the SHA-256 in the install command and the installer's tests all take that one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const AGENT_DIR = path.dirname(fileURLToPath(import.meta.url));
const INCLUDE = /^#include (systemd\/[A-Za-z0-9_.@-]+\.service)$/gm;
/** The units the installer must carry: a missing include is a broken installer, not a smaller one. */
const EXPECTED_UNITS = ['systemd/vigil-agent.service', 'systemd/vigil-relay.service'];

/** The runnable install.sh text. Throws when an include is missing, unknown or would end its heredoc early. */
export function buildInstallScript(agentDir = AGENT_DIR) {
  const source = readFileSync(path.join(agentDir, 'install.sh'), 'utf8');
  const included = [];
  const script = source.replace(INCLUDE, (_line, file) => {
    const unit = readFileSync(path.join(agentDir, file), 'utf8');
    // The heredoc ends at a line `UNIT`; a unit holding one would cut the script there.
    if (/^UNIT$/m.test(unit)) throw new Error(`${file} has a line "UNIT", which would end install.sh's heredoc`);
    included.push(file);
    return unit.replace(/\n$/, '');
  });
  const missing = EXPECTED_UNITS.filter((file) => !included.includes(file));
  if (missing.length > 0) throw new Error(`agent/install.sh has no "#include ${missing.join('" nor "#include ')}" line`);
  const flag = 'UNITS_INCLUDED=no\n';
  if (!script.includes(flag)) throw new Error(`agent/install.sh lost its "${flag.trim()}" line`);
  return script.replace(flag, 'UNITS_INCLUDED=yes\n');
}
