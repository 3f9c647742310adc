// The registry of solution plugins, in the catalog's order (schema/src/solutions.ts), which is the
// order of the solutions in a report.
import { apparmorPlugin } from './apparmor.js';
import { auditdPlugin } from './auditd.js';
import { certbotPlugin } from './certbot.js';
import { clamavPlugin } from './clamav.js';
import { crowdsecPlugin } from './crowdsec.js';
import { fail2banPlugin } from './fail2ban.js';
import { sshdPlugin } from './sshd.js';
import { suricataPlugin } from './suricata.js';
import { telerPlugin } from './teler.js';
import { ufwPlugin } from './ufw.js';
import { unattendedUpgradesPlugin } from './unattended-upgrades.js';
import { vectorPlugin } from './vector.js';
import type { SolutionPlugin } from './plugin.js';

export const allPlugins: readonly SolutionPlugin[] = [
  clamavPlugin,
  fail2banPlugin,
  certbotPlugin,
  suricataPlugin,
  telerPlugin,
  vectorPlugin,
  ufwPlugin,
  sshdPlugin,
  unattendedUpgradesPlugin,
  apparmorPlugin,
  auditdPlugin,
  crowdsecPlugin,
];
