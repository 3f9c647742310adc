// The registry of solution plugins, in the catalog's order (schema/src/solutions.ts), which is the
// order of the solutions in a report.
import { certbotPlugin } from './certbot.js';
import { clamavPlugin } from './clamav.js';
import { fail2banPlugin } from './fail2ban.js';
import { sshdPlugin } from './sshd.js';
import { suricataPlugin } from './suricata.js';
import { ufwPlugin } from './ufw.js';
import type { SolutionPlugin } from './plugin.js';

export const allPlugins: readonly SolutionPlugin[] = [
  clamavPlugin,
  fail2banPlugin,
  certbotPlugin,
  suricataPlugin,
  ufwPlugin,
  sshdPlugin,
];
