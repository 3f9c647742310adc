// The catalog of security solutions the agent knows, for display names and documentation links.
import { ownValue } from './own.js';

export const SOLUTION_CATALOG = {
  clamav: { name: 'ClamAV', category: 'antivirus' },
  fail2ban: { name: 'Fail2ban', category: 'intrusion prevention' },
  certbot: { name: "Let's Encrypt (certbot)", category: 'certificates' },
  suricata: { name: 'Suricata', category: 'network IDS' },
  teler: { name: 'teler', category: 'HTTP threat detection' },
  vector: { name: 'Vector', category: 'log pipeline' },
  ufw: { name: 'UFW', category: 'firewall' },
  sshd: { name: 'OpenSSH server', category: 'remote access hardening' },
  'unattended-upgrades': { name: 'unattended-upgrades', category: 'patching' },
  apparmor: { name: 'AppArmor', category: 'mandatory access control' },
  auditd: { name: 'auditd', category: 'audit' },
  crowdsec: { name: 'CrowdSec', category: 'intrusion prevention' },
} as const;

export type KnownSolutionId = keyof typeof SOLUTION_CATALOG;

export function solutionDisplayName(id: string): string {
  return ownValue(SOLUTION_CATALOG as Record<string, { name: string }>, id)?.name ?? id;
}
