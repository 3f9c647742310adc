import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SOLUTION_CATALOG } from '@vigil/schema';
import { FixtureHost } from '../host/fixture-host.js';
import { RealHost } from '../host/real-host.js';
import { clamavSettings } from '../plugins/clamav.js';
import type { SolutionPlugin } from '../plugins/plugin.js';
import { ConfigError, loadConfig, resolveConfigPath, type LoadConfigOptions } from './load-config.js';

const KEY = `vgl_abcdefghijklmnop_${'S'.repeat(43)}`;
const OTHER_KEY = `vgl_qrstuvwxyz234567_${'T'.repeat(43)}`;
const ENDPOINT = 'https://us-central1-demo.cloudfunctions.net/ingestReport';
const host = new RealHost();
const KNOWN_IDS = Object.keys(SOLUTION_CATALOG).join(', ');
/** Every plugin's settings when the config names none: what the loader hands to collection. */
const DEFAULT_SETTINGS = {
  clamav: { maxSignatureAgeDays: 3 },
  fail2ban: {},
  certbot: { certificatesDir: '/etc/letsencrypt/live', minDaysBeforeExpiry: 14 },
  suricata: { maxRuleAgeDays: 7 },
  teler: {},
  vector: {},
  ufw: {},
  sshd: {},
  'unattended-upgrades': { maxDaysSinceRun: 3 },
  apparmor: {},
  auditd: {},
  crowdsec: { maxBouncerPullAgeMinutes: 15 },
};
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'vigil-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode = 0o600): string {
  const target = path.join(dir, name);
  writeFileSync(target, text);
  chmodSync(target, mode);
  return target;
}

function keyFile(mode = 0o600, text = `${KEY}\n`): string {
  return file('key', text, mode);
}

async function problemsOf(options: LoadConfigOptions): Promise<string[]> {
  try {
    await loadConfig(options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    for (const problem of problems) expect(problem).not.toContain(KEY.slice(4, 30));
    return problems;
  }
  throw new Error('expected the config to be refused');
}

describe('loadConfig: accepted configs', () => {
  it('reads a commented YAML file with a key file, camelCases it and fills defaults', async () => {
    const config = file(
      'agent.yaml',
      [
        '# /etc/vigil/agent.yaml',
        `endpoint: ${ENDPOINT}   # the ingest callable`,
        `key_file: ${keyFile()}`,
        'interval_seconds: 600',
        'skip_solutions: [crowdsec]',
        'solutions:',
        '  clamav: { maxSignatureAgeDays: 3 }',
        'skip_solutions_comment_only: null'.replace(/.*/, '# done'),
      ].join('\n'),
    );
    const { config: loaded, warnings } = await loadConfig({ host, path: config, agentUid: process.getuid?.() });
    expect(warnings).toEqual([]);
    expect(loaded).toEqual({
      configPath: config,
      endpoint: ENDPOINT,
      keySource: { kind: 'key-file', path: path.join(dir, 'key') },
      intervalSeconds: 600,
      allowStateChanges: false,
      skipSolutions: ['crowdsec'],
      solutions: { ...DEFAULT_SETTINGS, clamav: { maxSignatureAgeDays: 3 } },
      spoolDir: '/var/lib/vigil/spool',
      spoolMaxReports: 500,
      spoolMaxBytes: 52_428_800,
      pluginTimeoutSeconds: 120,
      logLevel: 'info',
      hideHostDetails: [],
      sendAgentHealth: true,
      errorReportingDsn: undefined,
      allowInsecureHttp: false,
      autoUpdate: true,
      updateChannel: 'stable',
    });
    expect(loaded.key).toBe(KEY);
    expect(JSON.stringify(loaded)).not.toContain(KEY);
  });

  it('accepts an inline key in a 0600 config file and treats empty fields as unset', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\nskip_solutions:\n#  - crowdsec\n`);
    const { config: loaded } = await loadConfig({ host, path: config });
    expect(loaded.key).toBe(KEY);
    expect(loaded.keySource).toEqual({ kind: 'config-file', path: config });
    expect(loaded.skipSolutions).toEqual([]);
  });

  it('lets environment variables override the file', async () => {
    const config = file('agent.yaml', `endpoint: http://127.0.0.1:1/x\nkey_file: /nonexistent/key\nlog_level: warn\n`);
    const { config: loaded } = await loadConfig({
      host,
      path: config,
      env: {
        VIGIL_ENDPOINT: ENDPOINT,
        VIGIL_KEY: OTHER_KEY,
        VIGIL_INTERVAL_SECONDS: '120',
        VIGIL_ALLOW_STATE_CHANGES: 'true',
        VIGIL_SKIP_SOLUTIONS: 'crowdsec, teler,',
        VIGIL_SPOOL_DIR: '/tmp/spool',
        VIGIL_LOG_LEVEL: 'debug',
      },
    });
    expect(loaded).toMatchObject({
      endpoint: ENDPOINT,
      keySource: { kind: 'environment', variable: 'VIGIL_KEY' },
      intervalSeconds: 120,
      allowStateChanges: true,
      skipSolutions: ['crowdsec', 'teler'],
      spoolDir: '/tmp/spool',
      logLevel: 'debug',
    });
    expect(loaded.key).toBe(OTHER_KEY);
  });

  it('reads the update policy from the file and from VIGIL_AUTO_UPDATE / VIGIL_UPDATE_CHANNEL', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\nauto_update: false\nupdate_channel: 1.4.0\n`);
    expect((await loadConfig({ host, path: config })).config).toMatchObject({ autoUpdate: false, updateChannel: '1.4.0' });
    const env = { VIGIL_AUTO_UPDATE: 'true', VIGIL_UPDATE_CHANNEL: 'stable' };
    expect((await loadConfig({ host, path: config, env })).config).toMatchObject({ autoUpdate: true, updateChannel: 'stable' });
  });

  it('VIGIL_KEY_FILE replaces an inline key of the file', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${OTHER_KEY}\n`);
    const { config: loaded } = await loadConfig({ host, path: config, env: { VIGIL_KEY_FILE: keyFile() } });
    expect(loaded.key).toBe(KEY);
  });

  it('runs from the environment alone when the default file is absent', async () => {
    const empty = new FixtureHost(dir);
    const { config } = await loadConfig({ host: empty, env: { VIGIL_ENDPOINT: ENDPOINT, VIGIL_KEY: KEY } });
    expect(config.configPath).toBeUndefined();
    expect(config.key).toBe(KEY);
  });

  it('needs no endpoint or key for commands that send nothing', async () => {
    const { config } = await loadConfig({ host: new FixtureHost(dir), requireCredentials: false });
    expect(config).toMatchObject({ endpoint: '', keySource: undefined, intervalSeconds: 300 });
    const partial = file('agent.yaml', 'skip_solutions: [teler]\nkey_file: /does/not/exist\n');
    const loaded = await loadConfig({ host, path: partial, requireCredentials: false });
    expect(loaded.config.skipSolutions).toEqual(['teler']);
  });

  it('warns about a group-readable key file', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${keyFile(0o640)}\n`);
    const { warnings } = await loadConfig({ host, path: config, agentUid: process.getuid?.() });
    expect(warnings).toEqual([expect.stringMatching(/key_file .*key is readable by its group \(mode 0640\): run: chmod 600/)]);
  });

  it('warns about a group-readable config file holding the key', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\n`, 0o640);
    const { warnings } = await loadConfig({ host, path: config });
    expect(warnings).toEqual([expect.stringContaining('config file holding the key')]);
  });
});

describe('loadConfig: who may write the config and the key (the agent runs as root)', () => {
  const asRoot = process.getuid?.() === 0;

  it('refuses a group-writable config file, naming the file and the fix', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${keyFile()}\n`, 0o620);
    expect(await problemsOf({ host, path: config, agentUid: process.getuid?.() })).toEqual([
      `config file ${config} is writable by its group (mode 0620), so others could point the agent elsewhere: run: chmod 600 ${config}`,
    ]);
  });

  it('refuses a group-writable key file', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${keyFile(0o620)}\n`);
    const key = path.join(dir, 'key');
    expect(await problemsOf({ host, path: config, agentUid: process.getuid?.() })).toEqual([
      `key_file ${key} is writable by its group (mode 0620), so others could replace the key: run: chmod 600 ${key}`,
    ]);
  });

  it.skipIf(!asRoot)('refuses a real config file and a real key file owned by another user when running as root', async () => {
    const key = keyFile();
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${key}\n`);
    chownSync(config, 65534, 65534);
    expect(await problemsOf({ host, path: config, agentUid: 0 })).toEqual([
      `config file ${config} is owned by uid 65534, not by root: run: chown root:root ${config}`,
    ]);
    chownSync(config, 0, 0);
    chownSync(key, 65534, 65534);
    expect(await problemsOf({ host, path: config, agentUid: 0 })).toEqual([
      `key_file ${key} is owned by uid 65534, not by root: run: chown root:root ${key}`,
    ]);
  });

  it('as another user (tests): accepts files owned by root or by that user, refuses any other owner', async () => {
    mkdirSync(path.join(dir, 'root/etc/vigil'), { recursive: true });
    writeFileSync(path.join(dir, 'root/etc/vigil/agent.yaml'), `endpoint: ${ENDPOINT}\nkey_file: /etc/vigil/key\n`);
    writeFileSync(path.join(dir, 'root/etc/vigil/key'), KEY);
    const withOwners = (config: number, key: number) => {
      writeFileSync(
        path.join(dir, 'stats.json'),
        JSON.stringify({ '/etc/vigil/agent.yaml': { uid: config, mode: 0o600 }, '/etc/vigil/key': { uid: key, mode: 0o600 } }),
      );
      return new FixtureHost(dir);
    };
    expect((await loadConfig({ host: withOwners(0, 4242), agentUid: 4242 })).warnings).toEqual([]);
    expect(await problemsOf({ host: withOwners(1000, 4242), agentUid: 4242 })).toEqual([
      "config file /etc/vigil/agent.yaml is owned by uid 1000, not by root or the agent's user (uid 4242): run: chown 4242 /etc/vigil/agent.yaml",
    ]);
    expect(await problemsOf({ host: withOwners(0, 1000), agentUid: 0 })).toEqual([
      'key_file /etc/vigil/key is owned by uid 1000, not by root: run: chown root:root /etc/vigil/key',
    ]);
  });
});

describe('loadConfig: keys named after members of Object.prototype', () => {
  it('refuses __proto__ and constructor as unknown fields and settings, and leaves Object.prototype alone', async () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const config = file(
      'agent.yaml',
      `endpoint: ${ENDPOINT}\nkey_file: ${keyFile()}\n__proto__:\n  interval_seconds: 60\n  polluted: yes\nsolutions:\n  clamav:\n    constructor: 1\n`,
    );
    expect(await problemsOf({ host, path: config, agentUid: process.getuid?.() })).toEqual([
      '__proto__: unknown field (line 4)',
      'solutions.clamav.constructor: unknown setting (known: maxSignatureAgeDays) (line 8)',
    ]);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('loadConfig: refused configs', () => {
  it('refuses a world-readable key file', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${keyFile(0o644)}\n`);
    expect(await problemsOf({ host, path: config })).toEqual([
      `key_file ${path.join(dir, 'key')} is readable by every user (mode 0644): run: chmod 600 ${path.join(dir, 'key')}`,
    ]);
  });

  it('refuses a world-readable config file that holds the key inline', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\n`, 0o644);
    expect(await problemsOf({ host, path: config })).toEqual([
      expect.stringMatching(/^config file holding the key .* is readable by every user \(mode 0644\)/),
    ]);
  });

  it('checks modes through the Host, so fixtures can claim any mode', async () => {
    mkdirSync(path.join(dir, 'root/etc/vigil'), { recursive: true });
    writeFileSync(path.join(dir, 'root/etc/vigil/agent.yaml'), `endpoint: ${ENDPOINT}\nkey_file: /etc/vigil/key\n`);
    writeFileSync(path.join(dir, 'root/etc/vigil/key'), KEY);
    writeFileSync(path.join(dir, 'stats.json'), JSON.stringify({ '/etc/vigil/key': { mode: 0o604 } }));
    expect(await problemsOf({ host: new FixtureHost(dir) })).toEqual([
      'key_file /etc/vigil/key is readable by every user (mode 0604): run: chmod 600 /etc/vigil/key',
    ]);
  });

  it('refuses a world-writable config file even without a key in it', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${keyFile()}\n`, 0o666);
    expect(await problemsOf({ host, path: config })).toEqual([expect.stringMatching(/is writable by every user \(mode 0666\)/)]);
  });

  it('refuses a key file that does not hold a key, without quoting it', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${keyFile(0o600, 'hunter2-secret\n')}\n`);
    const problems = await problemsOf({ host, path: config });
    expect(problems).toEqual(['key_file: does not hold a Vigil key (expected one line: vgl_<key id>_<secret>)']);
    expect(problems.join()).not.toContain('hunter2');
    const missing = file('missing.yaml', `endpoint: ${ENDPOINT}\nkey_file: ${dir}/nope\n`);
    expect(await problemsOf({ host, path: missing })).toEqual(['key_file: no such file']);
  });

  it('names the field, the bound and the line of a bad value', async () => {
    const config = file(
      'agent.yaml',
      `# comment\nendpoint: ${ENDPOINT}\nkey: ${KEY}\ninterval_seconds: 30\nskip_solutions:\n  - crowdsec\n  - clamv\n`,
    );
    expect(await problemsOf({ host, path: config })).toEqual([
      'interval_seconds: must be at least 60 (line 4)',
      `skip_solutions.1: unknown solution "clamv" (did you mean "clamav"?) (known: ${KNOWN_IDS}) (line 7)`,
    ]);
  });

  it('refuses an update channel that is neither stable nor a version, and a non-boolean auto_update', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\nauto_update: yes please\nupdate_channel: ../1.0\n`);
    expect(await problemsOf({ host, path: config })).toEqual([
      'auto_update: must be true or false (line 3)',
      'update_channel: must be stable or a version like 1.4.0 (line 4)',
    ]);
    expect(await problemsOf({ host, path: config, env: { VIGIL_AUTO_UPDATE: 'false', VIGIL_UPDATE_CHANNEL: 'beta channel' } })).toEqual([
      'update_channel (from VIGIL_UPDATE_CHANNEL): must be stable or a version like 1.4.0',
    ]);
  });

  it('names unknown fields and their line', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\nintervall_seconds: 300\n`);
    expect(await problemsOf({ host, path: config })).toEqual(['intervall_seconds: unknown field (did you mean "interval_seconds"?) (line 3)']);
  });

  it('names the environment variable behind a bad override', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\n`);
    const env = { VIGIL_INTERVAL_SECONDS: '30', VIGIL_ALLOW_STATE_CHANGES: 'yes', VIGIL_SKIP_SOLUTIONS: 'nope' };
    expect(await problemsOf({ host, path: config, env })).toEqual([
      'interval_seconds (from VIGIL_INTERVAL_SECONDS): must be at least 60',
      'allow_state_changes (from VIGIL_ALLOW_STATE_CHANGES): must be true or false',
      expect.stringMatching(/^skip_solutions.0 \(from VIGIL_SKIP_SOLUTIONS\): unknown solution "nope"/),
    ]);
    expect(await problemsOf({ host, path: config, env: { VIGIL_KEY: KEY, VIGIL_KEY_FILE: '/k' } })).toEqual([
      'set VIGIL_KEY or VIGIL_KEY_FILE, not both',
    ]);
  });

  it('gives YAML syntax errors with their line and without the text around them', async () => {
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\nendpoint: twice\n`);
    expect(await problemsOf({ host, path: config })).toEqual(['YAML syntax error at line 3, column 1: Map keys must be unique']);
    const broken = file('broken.yaml', `key: [${KEY}\nendpoint: x\n`);
    const [problem] = await problemsOf({ host, path: broken });
    expect(problem).toMatch(/^YAML syntax error at line \d+, column \d+: /);
    expect(await problemsOf({ host, path: file('list.yaml', '- a\n- b\n') })).toEqual(['must be a YAML mapping of "field: value" lines']);
  });

  it('says clearly when the file is absent, a directory or unreadable', async () => {
    await expect(loadConfig({ host, path: `${dir}/absent.yaml` })).rejects.toThrow(`${dir}/absent.yaml: no such file`);
    await expect(loadConfig({ host: new FixtureHost(dir) })).rejects.toThrow(
      '/etc/vigil/agent.yaml: no such file (create it, pass --config FILE, or set VIGIL_ENDPOINT and VIGIL_KEY)',
    );
    await expect(loadConfig({ host, path: dir })).rejects.toThrow('is a directory');
    const unreadable: typeof host = Object.assign(Object.create(host) as typeof host, { readFile: async () => undefined });
    const config = file('agent.yaml', `endpoint: ${ENDPOINT}\nkey: ${KEY}\n`);
    await expect(loadConfig({ host: unreadable, path: config })).rejects.toThrow('cannot be read');
  });
});

describe('resolveConfigPath', () => {
  it('prefers --config, then VIGIL_CONFIG, then the default', () => {
    expect(resolveConfigPath('/a.yaml', { VIGIL_CONFIG: '/b.yaml' })).toEqual({ path: '/a.yaml', explicit: true });
    expect(resolveConfigPath(undefined, { VIGIL_CONFIG: '/b.yaml' })).toEqual({ path: '/b.yaml', explicit: true });
    expect(resolveConfigPath(undefined, {})).toEqual({ path: '/etc/vigil/agent.yaml', explicit: false });
  });
});

describe('loadConfig: per-solution settings', () => {
  const head = `endpoint: ${ENDPOINT}\nkey: ${KEY}\n`;

  it('accepts every setting a plugin declares, and fills in its defaults', async () => {
    const config = file(
      'agent.yaml',
      head +
        [
          'solutions:',
          '  clamav: { maxSignatureAgeDays: 1.5 }',
          '  certbot:',
          '    minDaysBeforeExpiry: 21',
          '  suricata: { configPath: /opt/suricata/suricata.yaml }',
          '  teler: { configPath: /etc/teler.yaml, inputLog: /var/log/nginx/access.log }',
          '  vector: { configPath: /etc/vector/main.toml }',
          '  unattended-upgrades: { maxDaysSinceRun: 7 }',
          '  crowdsec: { maxBouncerPullAgeMinutes: 60 }',
          '  ufw:',
          '#    nothing: here',
          '  fail2ban: {}',
        ].join('\n'),
    );
    const { config: loaded } = await loadConfig({ host, path: config });
    expect(loaded.solutions).toEqual({
      ...DEFAULT_SETTINGS,
      clamav: { maxSignatureAgeDays: 1.5 },
      certbot: { certificatesDir: '/etc/letsencrypt/live', minDaysBeforeExpiry: 21 },
      suricata: { configPath: '/opt/suricata/suricata.yaml', maxRuleAgeDays: 7 },
      teler: { configPath: '/etc/teler.yaml', inputLog: '/var/log/nginx/access.log' },
      vector: { configPath: '/etc/vector/main.toml' },
      'unattended-upgrades': { maxDaysSinceRun: 7 },
      crowdsec: { maxBouncerPullAgeMinutes: 60 },
      ufw: {},
      fail2ban: {},
    });
  });

  it('treats a setting written with no value as unset', async () => {
    const config = file('agent.yaml', `${head}solutions:\n  clamav:\n    maxSignatureAgeDays:\n`);
    const { config: loaded } = await loadConfig({ host, path: config });
    expect(loaded.solutions).toEqual({ ...DEFAULT_SETTINGS, clamav: { maxSignatureAgeDays: 3 } });
  });

  it('gives every plugin its settings, all defaults for the solutions the file does not name', async () => {
    const config = file('agent.yaml', head);
    const { config: loaded } = await loadConfig({ host, path: config });
    expect(loaded.solutions).toEqual(DEFAULT_SETTINGS);
  });

  it('checks the settings against the plugins it is given, and hands out theirs alone', async () => {
    const clamav: SolutionPlugin = {
      id: 'clamav',
      settings: clamavSettings,
      detect: async () => undefined,
      inspect: async () => Promise.reject(new Error('unreachable')),
    };
    const good = file('agent.yaml', `${head}solutions:\n  clamav: { maxSignatureAgeDays: 2 }\n`);
    expect((await loadConfig({ host, path: good, plugins: [clamav] })).config.solutions).toEqual({ clamav: { maxSignatureAgeDays: 2 } });

    // Bad settings stop the agent at load, with every problem by its path: no plugin ever sees them.
    const bad = file('agent.yaml', `${head}solutions:\n  clamav: { maxSignatureAgeDays: -1, colour: blue }\n`);
    expect(await problemsOf({ host, path: bad, plugins: [clamav] })).toEqual([
      'solutions.clamav.maxSignatureAgeDays: must be greater than 0 (line 4)',
      'solutions.clamav.colour: unknown setting (known: maxSignatureAgeDays) (line 4)',
    ]);
    await expect(loadConfig({ host, path: bad, plugins: [clamav] })).rejects.toThrow(
      `${bad}: solutions.clamav.maxSignatureAgeDays: must be greater than 0 (line 4); solutions.clamav.colour: unknown setting (known: maxSignatureAgeDays) (line 4)`,
    );
  });

  it('refuses a misspelt setting by its path and line, with a hint', async () => {
    const config = file('agent.yaml', `${head}solutions:\n  clamav:\n    maxSignatureAgeDay: 5\n  certbot: { min_days_before_expiry: 7 }\n`);
    expect(await problemsOf({ host, path: config })).toEqual([
      'solutions.clamav.maxSignatureAgeDay: unknown setting (did you mean "maxSignatureAgeDays"?) (line 5)',
      'solutions.certbot.min_days_before_expiry: unknown setting (did you mean "minDaysBeforeExpiry"?) (line 6)',
    ]);
  });

  it('lists the settings a plugin knows when nothing is close, and says when it takes none', async () => {
    const config = file('agent.yaml', `${head}solutions:\n  suricata: { colour: blue }\n  sshd: { strict: true }\n`);
    expect(await problemsOf({ host, path: config })).toEqual([
      'solutions.suricata.colour: unknown setting (known: configPath, maxRuleAgeDays) (line 4)',
      'solutions.sshd.strict: unknown setting (sshd has no settings) (line 5)',
    ]);
  });

  it('refuses a setting of the wrong type or out of range', async () => {
    const config = file(
      'agent.yaml',
      `${head}solutions:\n  clamav: { maxSignatureAgeDays: "3" }\n  crowdsec: { maxBouncerPullAgeMinutes: 0 }\n  teler: { inputLog: access.log }\n  vector: { configPath: [/etc/a.yaml] }\n`,
    );
    expect(await problemsOf({ host, path: config })).toEqual([
      'solutions.clamav.maxSignatureAgeDays: must be a number (line 4)',
      'solutions.crowdsec.maxBouncerPullAgeMinutes: must be greater than 0 (line 5)',
      'solutions.teler.inputLog: must be an absolute path (line 6)',
      'solutions.vector.configPath: must be a path (line 7)',
    ]);
  });

  it('refuses an unknown solution id in solutions and skip_solutions, listing the known ids', async () => {
    const config = file('agent.yaml', `${head}skip_solutions: [crowdsec, nginx]\nsolutions:\n  clamv: { maxSignatureAgeDays: 3 }\n`);
    expect(await problemsOf({ host, path: config })).toEqual([
      `skip_solutions.1: unknown solution "nginx" (known: ${KNOWN_IDS}) (line 3)`,
      `solutions.clamv: unknown solution "clamv" (did you mean "clamav"?) (known: ${KNOWN_IDS}) (line 5)`,
    ]);
  });

  it('names every problem at once: the other fields and the settings', async () => {
    const config = file('agent.yaml', `${head}interval_seconds: 5\nsolutions:\n  clamav: { maxSignatureAgeDays: -1 }\n`);
    expect(await problemsOf({ host, path: config })).toEqual([
      'interval_seconds: must be at least 60 (line 3)',
      'solutions.clamav.maxSignatureAgeDays: must be greater than 0 (line 5)',
    ]);
  });

  it('checks settings for commands that send nothing too', async () => {
    const config = file('agent.yaml', 'solutions:\n  certbot: { certificatesDir: live }\n');
    expect(await problemsOf({ host, path: config, requireCredentials: false })).toEqual([
      'solutions.certbot.certificatesDir: must be an absolute path (line 2)',
    ]);
  });
});
