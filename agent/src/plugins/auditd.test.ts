import { fileURLToPath } from 'node:url';
import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { FixtureHost } from '../host/fixture-host.js';
import { auditdPlugin, parseAuditRules, parseAuditStatus } from './auditd.js';

const fixtures = fileURLToPath(new URL('../../fixtures/auditd/', import.meta.url));
const READ_ONLY = /^(dpkg-query|rpm|systemctl show|auditctl -[vsl]|ausearch)( |$)/;

async function inspect(scenario: string, allowStateChanges = false) {
  const host = new FixtureHost(`${fixtures}${scenario}`);
  const context = { host, options: { allowStateChanges, settings: {} } };
  const detection = await auditdPlugin.detect(context);
  if (!detection) throw new Error(`auditd not detected in ${scenario}`);
  const findings = await auditdPlugin.inspect(context, detection);
  solutionReportSchema.parse({ id: auditdPlugin.id, detectedBy: detection.detectedBy, ...findings });
  if (!allowStateChanges) expect(host.ran.filter((line) => !READ_ONLY.test(line))).toEqual([]);
  const test = (id: string) => findings.tests.find((candidate) => candidate.id === id);
  return { host, detection, findings, test };
}

const DEBIAN_AUDITD_CONF = {
  local_events: 'yes',
  write_logs: 'yes',
  log_file: '/var/log/audit/audit.log',
  log_format: 'ENRICHED',
  log_group: 'adm',
  flush: 'INCREMENTAL_ASYNC',
  freq: 50,
  max_log_file: 8,
  num_logs: 5,
  max_log_file_action: 'ROTATE',
  space_left: 75,
  space_left_action: 'SYSLOG',
  admin_space_left: 50,
  admin_space_left_action: 'SUSPEND',
  disk_full_action: 'SUSPEND',
  disk_error_action: 'SUSPEND',
  action_mail_acct: 'root',
};

describe('auditd plugin', () => {
  it('passes a running auditd with its rules loaded (real auditd 3.0.9 outputs)', async () => {
    const { detection, findings, test } = await inspect('healthy');
    expect(detection.detectedBy).toEqual(['package', 'binary', 'unit', 'config']);
    expect(findings.version).toBe('3.0.9');
    expect(findings.configuration).toEqual({
      ...DEBIAN_AUDITD_CONF,
      'rules.files': ['/etc/audit/rules.d/50-hardening.rules', '/etc/audit/rules.d/audit.rules'],
      'rules.keys': ['identity', 'modules', 'scope', 'sshd', 'time-change'],
      'rules.immutable': false,
      'rules.failureMode': 1,
      'rules.backlogLimit': 8192,
    });
    expect(findings.metrics).toEqual({ rulesOnDisk: 9, rulesLoaded: 9, enabled: 1, lost: 0, backlog: 0, logBytes: 190 });
    expect(findings.tests.map(({ id, type, passed }) => ({ id, type, passed }))).toEqual([
      { id: 'installed', type: 'presence', passed: true },
      { id: 'kernel-audit', type: 'requirement', passed: true },
      { id: 'auditd-running', type: 'operational', passed: true },
      { id: 'audit-enabled', type: 'operational', passed: true },
      { id: 'rules-loaded', type: 'security', passed: true },
    ]);
    expect(test('auditd-running')?.message).toBe('auditd is running (pid 8868)');
    expect(test('rules-loaded')?.message).toBe('9 audit rules are loaded (9 in /etc/audit/rules.d)');
    expect(findings.errors).toEqual([]);
  });

  it('sends a test event through the kernel to the log only when state changes are allowed', async () => {
    const { host, test } = await inspect('healthy', true);
    expect(host.ran).toContain('auditctl -m vigil-agent-check-1795778100000');
    expect(test('event-logged')).toMatchObject({
      type: 'operational',
      passed: true,
      message: 'a test event sent with auditctl -m reached /var/log/audit/audit.log',
    });
  });

  it('reports immutable mode as configuration', async () => {
    const { findings, test } = await inspect('immutable');
    expect(findings.configuration['rules.immutable']).toBe(true);
    expect(findings.configuration['rules.files']).toContain('/etc/audit/rules.d/99-finalize.rules');
    expect(findings.metrics.enabled).toBe(2);
    expect(test('audit-enabled')?.message).toBe('auditing is enabled and locked (immutable: changing the rules needs a reboot)');
  });

  it('fails when auditd does not run and no rule is loaded (a fresh install without systemd)', async () => {
    const { findings, test } = await inspect('no-rules');
    expect(findings.configuration).toMatchObject({ 'rules.keys': [], 'rules.immutable': false, 'rules.files': ['/etc/audit/rules.d/audit.rules'] });
    expect(findings.metrics).toEqual({ rulesOnDisk: 0, rulesLoaded: 0, enabled: 0, lost: 0, backlog: 0 });
    expect(test('kernel-audit')?.passed).toBe(true);
    expect(test('auditd-running')).toMatchObject({
      passed: false,
      message:
        'auditd is not running (auditctl -s reports pid 0): audit events are not written to /var/log/audit/audit.log; systemd is not running on this host (as in a container or chroot), so nothing starts auditd',
    });
    expect(test('audit-enabled')).toMatchObject({ passed: false, message: 'auditing is disabled in the kernel (auditctl -s reports enabled 0)' });
    expect(test('rules-loaded')).toMatchObject({
      passed: false,
      message: 'no audit rule is loaded, and /etc/audit/rules.d defines none: no file or system call is watched',
    });
  });

  it('says honestly that the agent may not use the audit interface (no CAP_AUDIT_CONTROL)', async () => {
    const { findings, test } = await inspect('no-audit-capability');
    expect(findings.version).toBe('1:3.0.9-1');
    expect(findings.metrics).toEqual({ rulesOnDisk: 0 });
    const refused =
      "the agent may not use the kernel's audit interface (`auditctl -s` exited with 4: You must be root to run this program.): it lacks CAP_AUDIT_CONTROL, as in a container, so auditing cannot be checked here";
    expect(test('kernel-audit')).toMatchObject({ passed: false, message: refused });
    expect(test('auditd-running')).toMatchObject({ passed: false, message: `whether auditd runs is unknown: ${refused}` });
    expect(test('rules-loaded')?.message).toContain('Error sending rule list data request (Operation not permitted)');
    expect(findings.errors.map((error) => error.code)).toEqual(['status-unreadable', 'rules-unreadable']);
  });

  it('does not detect auditd where it is not installed', async () => {
    const host = new FixtureHost(`${fixtures}absent`);
    expect(await auditdPlugin.detect({ host, options: { allowStateChanges: false, settings: {} } })).toBeUndefined();
  });
});

describe('audit output parsers', () => {
  it('reads `auditctl -s`', () => {
    const status = parseAuditStatus('enabled 1\nfailure 1\npid 8868\nloginuid_immutable 0 unlocked\n');
    expect(Object.fromEntries(status)).toEqual({ enabled: 1, failure: 1, pid: 8868, loginuid_immutable: 0 });
  });

  it('counts rules and keys, not control lines', () => {
    const rules = parseAuditRules(
      '-D\n-b 8192\n-f 2\n# comment\n-w /etc/passwd -p wa -k identity\n-a always,exit -F arch=b64 -S mount -F key=mounts\n-a always,exit -S unlink -F "key=delete"\n-e 2\n',
    );
    expect(rules).toEqual({
      rules: ['-w /etc/passwd -p wa -k identity', '-a always,exit -F arch=b64 -S mount -F key=mounts', '-a always,exit -S unlink -F "key=delete"'],
      keys: ['identity', 'mounts', 'delete'],
      enable: 2,
      failure: 2,
      backlog: 8192,
    });
    expect(parseAuditRules('No rules\n').rules).toEqual([]);
  });
});
