// UFW: is the firewall active, does it deny incoming connections by default, and which rules did
// the administrator add. The policies the administrator chose are read from /etc/default/ufw and
// /etc/ufw/ufw.conf (what `ufw default` and `ufw logging` write), so they read the same whether ufw
// is active or not; what the kernel enforces right now comes from `ufw status verbose`.
import { unitState } from '../host/queries.js';
import type { Host } from '../host/host.js';
import type { ConfigurationValue } from '@vigil/schema';
import { commandFailure, succeeded } from './lib/command.js';
import { findInstallation, type Installation } from './lib/install.js';
import { reportList } from './lib/report.js';
import { NO_SYSTEMD } from './lib/service.js';
import { firstVersion, parseKeyValueLines, plural } from './lib/text.js';
import { runTest, type SolutionError, type SolutionPlugin } from './plugin.js';
import { NO_SETTINGS } from './settings.js';
import { ownRecord } from '../host/own-data.js';

const UFW_CONF = '/etc/ufw/ufw.conf';
const UFW_DEFAULTS = '/etc/default/ufw';
const STATUS_TIMEOUT_MS = 15_000;

export interface UfwStatus {
  active: boolean;
  /** `off`, `low`, `medium`, `high`, `full` */
  logging?: string;
  /** direction (`incoming`, `outgoing`, `routed`) to policy (`deny`, `allow`, `reject`, `disabled`) */
  defaults: Record<string, string>;
  /** Rows of the rules table, both IPv4 and IPv6, whitespace collapsed. */
  rules: string[];
}

/** Reads `ufw status verbose`; undefined when the text has no "Status:" line. */
export function parseUfwStatus(text: string): UfwStatus | undefined {
  const status = /^Status:\s*(\S+)/m.exec(text)?.[1];
  if (!status) return undefined;
  const logging = /^Logging:\s*(.+)$/m.exec(text)?.[1]?.trim();
  const defaults = ownRecord<string>();
  const defaultLine = /^Default:\s*(.+)$/m.exec(text)?.[1] ?? '';
  for (const [, policy, direction] of defaultLine.matchAll(/(\S+)\s+\((\w+)\)/g)) {
    defaults[direction!] = policy!;
  }
  const lines = text.split('\n');
  const separator = lines.findIndex((line) => /^--\s+-+\s+-+/.test(line.trim()));
  const rules =
    separator < 0
      ? []
      : lines
          .slice(separator + 1)
          .map((line) => line.trim().replace(/\s+/g, ' '))
          .filter((line) => line.length > 0);
  return {
    active: status === 'active',
    logging: logging === undefined ? undefined : (/\((\w+)\)/.exec(logging)?.[1] ?? logging),
    defaults,
    rules,
  };
}

/** The rules the administrator added, from `ufw show added` ("allow 22/tcp", ...). */
export function parseAddedRules(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('ufw '))
    .map((line) => line.slice('ufw '.length));
}

const IPTABLES_POLICY: Record<string, string> = { DROP: 'deny', ACCEPT: 'allow', REJECT: 'reject' };

function unquote(value: string | undefined): string | undefined {
  return value?.replace(/^"(.*)"$/, '$1');
}

async function readSettings(host: Host, file: string): Promise<Map<string, string[]> | undefined> {
  const text = await host.readFile(file);
  return text === undefined ? undefined : parseKeyValueLines(text, 'equals');
}

export const ufwPlugin: SolutionPlugin<typeof NO_SETTINGS, Installation> = {
  id: 'ufw',
  settings: NO_SETTINGS,

  detect: ({ host }) =>
    findInstallation(host, {
      packages: ['ufw'],
      binaries: ['ufw'],
      units: ['ufw.service'],
      configs: [UFW_CONF],
    }),

  async inspect({ host }, install) {
    const errors: SolutionError[] = [];
    const binary = install.binaries.ufw;

    const versionRun = binary ? await host.run('ufw', ['version'], { timeoutMs: 5_000 }) : undefined;
    const version = (versionRun && succeeded(versionRun) ? firstVersion(versionRun.stdout) : undefined) ?? install.packageVersion ?? null;

    const conf = await readSettings(host, UFW_CONF);
    const defaults = await readSettings(host, UFW_DEFAULTS);
    const enabledAtBoot = unquote(conf?.get('ENABLED')?.at(-1));

    let status: UfwStatus | undefined;
    let statusProblem: string | undefined;
    if (binary) {
      const run = await host.run('ufw', ['status', 'verbose'], { timeoutMs: STATUS_TIMEOUT_MS });
      status = succeeded(run) ? parseUfwStatus(run.stdout) : undefined;
      if (!status) {
        statusProblem = explainStatusFailure(commandFailure('ufw status verbose', run), run.stderr);
        errors.push({ code: 'status-unreadable', message: statusProblem });
      }
    } else {
      statusProblem = 'the ufw program is not installed, so its status cannot be read';
    }

    let added: string[] | undefined;
    if (binary) {
      const run = await host.run('ufw', ['show', 'added'], { timeoutMs: STATUS_TIMEOUT_MS });
      if (succeeded(run)) added = parseAddedRules(run.stdout);
      else errors.push({ code: 'rules-unreadable', message: commandFailure('ufw show added', run) });
    }

    const policyFromFile = (key: string): string | undefined => {
      const value = unquote(defaults?.get(key)?.at(-1));
      return value === undefined ? undefined : (IPTABLES_POLICY[value] ?? value.toLowerCase());
    };
    const configuredIncoming = policyFromFile('DEFAULT_INPUT_POLICY') ?? status?.defaults.incoming;

    const configuration: Record<string, ConfigurationValue> = {
      status: status ? (status.active ? 'active' : 'inactive') : 'unknown',
      enabledAtBoot: enabledAtBoot === undefined ? null : enabledAtBoot === 'yes',
      defaultIncoming: configuredIncoming ?? null,
      defaultOutgoing: policyFromFile('DEFAULT_OUTPUT_POLICY') ?? status?.defaults.outgoing ?? null,
      defaultRouted: policyFromFile('DEFAULT_FORWARD_POLICY') ?? status?.defaults.routed ?? null,
      logging: unquote(conf?.get('LOGLEVEL')?.at(-1)) ?? status?.logging ?? null,
      ipv6: unquote(defaults?.get('IPV6')?.at(-1)) ?? null,
    };
    if (added) configuration.rules = reportList(added, false);

    const metrics: Record<string, number> = {};
    if (added) metrics.rules = added.length;
    if (status?.active) metrics.rulesActive = status.rules.length;

    const tests = [
      await runTest(host, 'installed', 'presence', async () =>
        binary
          ? { passed: true, message: `ufw${version ? ` ${version}` : ''} is installed at ${binary}` }
          : { passed: false, message: 'ufw is configured here but the ufw program is not installed' },
      ),
      await runTest(host, 'ufw-active', 'operational', async () => {
        if (!status) return { passed: false, message: `whether ufw is active is unknown: ${statusProblem}` };
        if (status.active) return { passed: true, message: `ufw is active with ${plural(status.rules.length, 'rule')}` };
        return {
          passed: false,
          message:
            enabledAtBoot === 'yes'
              ? 'ufw is inactive: the firewall filters no traffic, although ENABLED=yes in /etc/ufw/ufw.conf (it was stopped, or failed to start)'
              : 'ufw is inactive: the firewall filters no traffic',
        };
      }),
      await runTest(host, 'default-deny-incoming', 'security', async () => {
        if (!status) {
          return {
            passed: false,
            message: `whether incoming connections are denied is unknown: ${statusProblem}`,
          };
        }
        if (!status.active) {
          return {
            passed: false,
            message: `ufw is inactive, so no incoming policy is enforced (the configured default is ${configuredIncoming ?? 'unknown'})`,
          };
        }
        const incoming = status.defaults.incoming ?? configuredIncoming;
        if (incoming === 'deny' || incoming === 'reject') {
          return { passed: true, message: `incoming connections are ${incoming === 'deny' ? 'denied' : 'rejected'} unless a rule allows them` };
        }
        return {
          passed: false,
          message:
            incoming === 'allow'
              ? 'the default incoming policy is allow: every port without a deny rule is open'
              : `the default incoming policy is ${incoming ?? 'unknown'}, not deny`,
        };
      }),
      await runTest(host, 'enabled-at-boot', 'operational', async () => {
        if (enabledAtBoot !== 'yes') {
          return {
            passed: false,
            message:
              enabledAtBoot === undefined
                ? 'ENABLED is not set in /etc/ufw/ufw.conf: ufw does not start at boot'
                : `ENABLED=${enabledAtBoot} in /etc/ufw/ufw.conf: ufw does not start at boot`,
          };
        }
        const unit = await unitState(host, 'ufw.service');
        if (unit.systemdRunning && ['disabled', 'masked'].includes(unit.unitFileState)) {
          return { passed: false, message: `ufw.service is ${unit.unitFileState} in systemd: ufw does not start at boot` };
        }
        return {
          passed: true,
          message: unit.systemdRunning
            ? 'ufw starts at boot (ENABLED=yes, ufw.service enabled)'
            : `ufw starts at boot (ENABLED=yes in /etc/ufw/ufw.conf); ${NO_SYSTEMD}, so ufw.service was not checked`,
        };
      }),
    ];

    return { version, configuration, metrics, tests, errors };
  },
};

function explainStatusFailure(failure: string, stderr: string): string {
  if (/problem running iptables/i.test(stderr) && /permission denied|operation not permitted/i.test(stderr)) {
    return `${failure}. The agent may not read the kernel's firewall here (no CAP_NET_ADMIN, as in an unprivileged container)`;
  }
  return failure;
}
