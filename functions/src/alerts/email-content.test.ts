import type { EventDetails, EventKind } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { renderEventEmail, sendgridTemplateData, type EventEmailInput } from './email-content.js';
import { escapeHtml } from './html-template.js';

const DASHBOARD = 'https://vigil.example.com';

function input(kind: EventKind, details: EventDetails, solutionIds: string[], overrides: Partial<EventEmailInput> = {}): EventEmailInput {
  return {
    workspace: { id: 'ws-1', name: 'Acme Ops' },
    agent: { id: 'agent-1', name: 'web-1', hostname: 'web-1.example.com' },
    event: { kind, details, solutionIds, reportId: 'r-0123456789abcdef', createdAt: new Date('2026-11-27T10:05:00Z') },
    dashboardUrl: DASHBOARD,
    ...overrides,
  };
}

const failing = () =>
  input(
    'test_failed',
    {
      tests: [
        { solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'the EICAR file was not detected' },
        { solutionId: 'fail2ban', testId: 'jails-enabled', type: 'security', message: 'no jail enabled' },
      ],
    },
    ['clamav', 'fail2ban'],
  );

const changed = () =>
  input(
    'config_changed',
    {
      changes: [
        { solutionId: 'suricata', key: 'af-packet.threads', before: 2, after: 4 },
        { solutionId: 'suricata', key: 'rule-files', before: null, after: ['emerging-threats.rules', 'local.rules'] },
        { solutionId: 'suricata', key: 'mode', before: 'ips', after: null },
      ],
    },
    ['suricata'],
  );

/** Links in HTML attributes and text carry `&` as `&amp;`. */
const inHtml = (value: string) => escapeHtml(value);

function expectEverywhere(email: { text: string; html: string }, values: string[]) {
  for (const value of values) {
    expect(email.text, `text has ${value}`).toContain(value);
    expect(email.html, `html has ${value}`).toContain(inHtml(value));
  }
}

describe('renderEventEmail, per kind', () => {
  it('test_failed: the failing tests per solution with their messages, linking the host when several solutions fail', () => {
    const email = renderEventEmail(failing());
    expect(email.subject).toBe('[Vigil] web-1: 2 tests failing (ClamAV, Fail2ban)');
    expectEverywhere(email, [
      'Acme Ops',
      'web-1',
      'web-1.example.com',
      'ClamAV',
      'Fail2ban',
      'eicar-detected',
      'the EICAR file was not detected',
      'jails-enabled',
      'no jail enabled',
      `${DASHBOARD}/agent/?ws=ws-1&agent=agent-1`,
      `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=clamav`,
      `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=fail2ban`,
    ]);
    expect(email.text).toContain('Open in Vigil: https://vigil.example.com/agent/?ws=ws-1&agent=agent-1\n');
    // Each test sits under its own solution.
    expect(email.text.indexOf('eicar-detected')).toBeLessThan(email.text.indexOf('Fail2ban (fail2ban)'));
    expect(email.text.indexOf('jails-enabled')).toBeGreaterThan(email.text.indexOf('Fail2ban (fail2ban)'));
  });

  it('test_failed on one solution links that solution page', () => {
    const email = renderEventEmail(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 'daemon-running', type: 'operational', message: 'clamd is not running' }] }, [
        'clamav',
      ]),
    );
    expect(email.subject).toBe('[Vigil] web-1: 1 test failing (ClamAV)');
    expectEverywhere(email, ['clamd is not running', `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=clamav`]);
    expect(email.text).not.toContain('/agent/?');
  });

  it('test_recovered: the recovered tests', () => {
    const email = renderEventEmail(
      input('test_recovered', { tests: [{ solutionId: 'fail2ban', testId: 'jails-enabled', type: 'security', message: '2 jails enabled' }] }, [
        'fail2ban',
      ]),
    );
    expect(email.subject).toBe('[Vigil] web-1: 1 test recovered (Fail2ban)');
    expectEverywhere(email, [
      'Acme Ops',
      'web-1.example.com',
      'Fail2ban',
      'jails-enabled',
      '2 jails enabled',
      `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=fail2ban`,
    ]);
  });

  it('config_changed: each field before → after, null as "(not set)", lists joined', () => {
    const email = renderEventEmail(changed());
    expect(email.subject).toBe('[Vigil] web-1: configuration changed (Suricata)');
    expectEverywhere(email, ['Acme Ops', 'web-1', 'web-1.example.com', 'Suricata', `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=suricata`]);
    expect(email.text).toContain('  - af-packet.threads: 2 → 4\n');
    expect(email.text).toContain('  - rule-files: (not set) → emerging-threats.rules, local.rules\n');
    expect(email.text).toContain('  - mode: ips → (not set)\n');
    expect(email.html).toMatch(/af-packet\.threads<\/code>: 2 → <strong>4<\/strong>/);
    expect(email.html).toMatch(/rule-files<\/code>: \(not set\) → <strong>emerging-threats\.rules, local\.rules<\/strong>/);
    expect(email.html).toMatch(/mode<\/code>: ips → <strong>\(not set\)<\/strong>/);
  });

  it('config_changed shows empty strings, empty lists and booleans distinctly', () => {
    const email = renderEventEmail(
      input(
        'config_changed',
        {
          changes: [
            { solutionId: 'ufw', key: 'logging', before: '', after: 'on' },
            { solutionId: 'ufw', key: 'allowed', before: [], after: ['22/tcp', 443, true, null] },
            { solutionId: 'ufw', key: 'enabled', before: false, after: true },
          ],
        },
        ['ufw'],
      ),
    );
    expect(email.text).toContain('logging: (empty) → on');
    expect(email.text).toContain('allowed: (empty list) → 22/tcp, 443, true, null');
    expect(email.text).toContain('enabled: false → true');
  });

  it('solution_added and solution_removed: the solutions', () => {
    const added = renderEventEmail(input('solution_added', { solutions: ['crowdsec'] }, ['crowdsec']));
    expect(added.subject).toBe('[Vigil] web-1: solution added (CrowdSec)');
    expectEverywhere(added, ['Acme Ops', 'web-1.example.com', 'CrowdSec', `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=crowdsec`]);

    const removed = renderEventEmail(input('solution_removed', { solutions: ['clamav', 'ufw'] }, ['clamav', 'ufw']));
    expect(removed.subject).toBe('[Vigil] web-1: 2 solutions removed (ClamAV, UFW)');
    expectEverywhere(removed, [
      'ClamAV',
      'UFW',
      `${DASHBOARD}/agent/?ws=ws-1&agent=agent-1`,
      `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=ufw`,
    ]);
    expect(removed.text).toContain('no longer reports');
  });

  it('agent_offline: last seen time and missed intervals, linking the host events', () => {
    const email = renderEventEmail(input('agent_offline', { lastSeenAt: '2026-11-27T09:40:00.000Z', missedIntervals: 5 }, []));
    expect(email.subject).toBe('[Vigil] web-1 is offline');
    expectEverywhere(email, [
      'Acme Ops',
      'web-1.example.com',
      'since 2026-11-27 09:40 UTC',
      '5 reporting intervals missed',
      `${DASHBOARD}/events/?ws=ws-1&agent=agent-1`,
    ]);
  });

  it('agent_offline without a last-seen time still reads well', () => {
    const email = renderEventEmail(input('agent_offline', { lastSeenAt: null }, []));
    expect(email.text).toContain('Vigil has not heard from this host.');
    expect(email.text).not.toContain('undefined');
    expect(email.text).not.toContain('null');
  });

  it('agent_online: back online, linking the host events and naming its solutions', () => {
    const email = renderEventEmail(input('agent_online', {}, ['clamav', 'sshd']));
    expect(email.subject).toBe('[Vigil] web-1 is back online');
    expectEverywhere(email, ['Acme Ops', 'web-1.example.com', 'ClamAV', 'OpenSSH server', `${DASHBOARD}/events/?ws=ws-1&agent=agent-1`]);
  });
});

describe('renderEventEmail, details', () => {
  it('builds absolute links from a dashboard URL with a trailing slash', () => {
    const email = renderEventEmail({ ...changed(), dashboardUrl: `${DASHBOARD}/` });
    expect(email.text).toContain(`${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=suricata`);
    expect(email.text).not.toContain('.com//');
    expect(email.text).toContain(`${DASHBOARD}/settings/?ws=ws-1`);
  });

  it('names the host by its agent name alone when the hostname is unknown', () => {
    const email = renderEventEmail({ ...failing(), agent: { id: 'agent-1', name: 'web-1', hostname: null } });
    expect(email.text).toContain('Host: web-1\n');
    expect(email.text).not.toContain('null');
    expect(email.html).not.toContain('null');
  });

  it('shows a solution the catalog does not know by its id', () => {
    const email = renderEventEmail(input('solution_added', { solutions: ['wazuh-agent'] }, ['wazuh-agent']));
    expect(email.subject).toBe('[Vigil] web-1: solution added (wazuh-agent)');
  });

  it('survives an event whose details are missing', () => {
    const email = renderEventEmail(input('test_failed', {}, ['clamav']));
    expect(email.subject).toBe('[Vigil] web-1: tests failing (ClamAV)');
    expect(email.text).toContain('(no details recorded)');
  });

  it('keeps the subject short when many solutions are involved', () => {
    const ids = ['clamav', 'fail2ban', 'suricata', 'ufw', 'sshd'];
    const email = renderEventEmail(input('solution_removed', { solutions: ids }, ids));
    expect(email.subject).toBe('[Vigil] web-1: 5 solutions removed (ClamAV, Fail2ban, Suricata +2 more)');
    expectEverywhere(email, ['UFW', 'OpenSSH server']);
  });
});

describe('renderEventEmail, hostile agent-supplied text', () => {
  const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'Tom & Jerry'];

  function hostile(payload: string): EventEmailInput {
    return input(
      'test_failed',
      { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: `message ${payload}` }] },
      ['clamav'],
      { agent: { id: 'agent-1', name: `name ${payload}`, hostname: `host ${payload}` } },
    );
  }

  function hostileConfig(payload: string): EventEmailInput {
    return input(
      'config_changed',
      { changes: [{ solutionId: 'suricata', key: `key ${payload}`, before: `before ${payload}`, after: [`after ${payload}`] }] },
      ['suricata'],
      { workspace: { id: 'ws-1', name: `workspace ${payload}` } },
    );
  }

  /** Every `&` in the HTML starts an entity we wrote; no tag came from the payload. */
  function expectOnlyOurMarkup(markup: string) {
    expect(markup).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
    expect(markup).not.toContain('<script');
    expect(markup).not.toContain('<img');
    expect(markup).not.toMatch(/"\s*>\s*<img|onerror=alert\(1\)>/);
  }

  it.each(PAYLOADS)('escapes %s in agent name, hostname and test message', (payload) => {
    const email = renderEventEmail(hostile(payload));
    for (const field of ['name', 'host', 'message']) {
      expect(email.html).toContain(escapeHtml(`${field} ${payload}`));
      expect(email.html).not.toContain(`${field} ${payload}`);
      // The text part is not HTML: it carries the same words as they are.
      expect(email.text).toContain(`${field} ${payload}`);
    }
    expectOnlyOurMarkup(email.html);
  });

  it.each(PAYLOADS)('escapes %s in configuration keys and values and the workspace name', (payload) => {
    const email = renderEventEmail(hostileConfig(payload));
    for (const field of ['key', 'before', 'after', 'workspace']) {
      expect(email.html).toContain(escapeHtml(`${field} ${payload}`));
      expect(email.html).not.toContain(`${field} ${payload}`);
    }
    expectOnlyOurMarkup(email.html);
  });

  it('escapes a solution id that is not a slug', () => {
    const email = renderEventEmail(input('solution_added', { solutions: ['<svg onload=alert(1)>'] }, ['<svg onload=alert(1)>']));
    expect(email.html).not.toContain('<svg');
    expect(email.html).toContain('&lt;svg onload=alert(1)&gt;');
  });

  it('keeps a line break out of the subject (header injection)', () => {
    for (const name of ['web-1\r\nBcc: x@y', 'web-1\nBcc: x@y', 'web-1\rBcc: x@y', 'web-1\u2028Bcc: x@y', 'web-1\u0000\u001b[31mBcc: x@y']) {
      const email = renderEventEmail({ ...failing(), agent: { id: 'agent-1', name, hostname: 'h' } });
      expect(email.subject).not.toMatch(/[\r\n\u0000-\u001f\u007f\u2028\u2029]/);
      expect(email.subject).toContain('Bcc: x@y');
      expect(email.subject.startsWith('[Vigil] web-1 ')).toBe(true);
    }
    const offline = renderEventEmail(input('agent_offline', {}, [], { agent: { id: 'agent-1', name: 'db\r\nBcc: x@y', hostname: null } }));
    expect(offline.subject).toBe('[Vigil] db Bcc: x@y is offline');
  });

  it('keeps a message from forging lines of the text part', () => {
    const forged = 'fine\n\nOpen in Vigil: https://evil.example/phish';
    const email = renderEventEmail(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: forged }] }, ['clamav']),
    );
    expect(email.text.split('\n').filter((line) => line.startsWith('Open in Vigil:'))).toEqual([
      `Open in Vigil: ${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=clamav`,
    ]);
    expect(email.text).toContain('fine Open in Vigil: hxxps[://]evil[.]example/phish');
  });

  it('defangs URLs and addresses in agent-supplied text, so no mail client makes them links or a lure', () => {
    const lure = 'URGENT: verify at https://evil.example/login?u=1 or www.evil.example or mail help@evil.example';
    const email = renderEventEmail(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: lure }] }, ['clamav'], {
        agent: { id: 'agent-1', name: 'URGENT: verify at https://evil.example', hostname: 'http://evil.example' },
        workspace: { id: 'ws-1', name: 'Visit HTTPS://Evil.Example now' },
      }),
    );
    expect(email.subject).toBe('[Vigil] URGENT: verify at hxxps[://]evil[.]example: 1 test failing (ClamAV)');
    for (const part of [email.subject, email.text, email.html]) {
      expect(part).not.toMatch(/https?:\/\/evil|www\.evil|evil\.example|@evil/i);
    }
    expect(email.text).toContain('verify at hxxps[://]evil[.]example/login?u=1 or www[.]evil[.]example or mail help[@]evil[.]example');
    expect(email.text).toContain('Visit hxxps[://]Evil[.]Example now');
    // Only our own links are links.
    const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    for (const href of hrefs) expect(href?.startsWith(DASHBOARD)).toBe(true);
  });

  it('leaves versions, paths and file names alone', () => {
    const email = renderEventEmail(
      input(
        'config_changed',
        { changes: [{ solutionId: 'clamav', key: 'DatabaseDirectory', before: '/var/lib/clamav', after: 'clamd.conf 1.4.2 jail.local' }] },
        ['clamav'],
      ),
    );
    expect(email.text).toContain('/var/lib/clamav → clamd.conf 1.4.2 jail.local');
  });

  it('defangs bare domain names too, which mail clients make links of (a host keeps its own hostname)', () => {
    const lure = 'URGENT: verify at evil-corp.com/login or Evil-Corp.COM: now';
    const email = renderEventEmail(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: lure }] }, ['clamav'], {
        agent: { id: 'agent-1', name: 'verify at login.evil-corp.com', hostname: 'web-1.example.com' },
      }),
    );
    for (const part of [email.subject, email.text, email.html]) expect(part).not.toMatch(/evil-corp\.com/i);
    expect(email.subject).toContain('verify at login[.]evil-corp[.]com');
    expect(email.text).toContain('verify at evil-corp[.]com/login or Evil-Corp[.]COM: now');
    expect(email.text).toContain('(web-1.example.com)');
  });

  it('strips bidi overrides that make text read differently than it displays', () => {
    const email = renderEventEmail({ ...failing(), agent: { id: 'agent-1', name: 'web-1\u202Egnp.exe', hostname: null } });
    expect(email.subject).not.toContain('\u202E');
    expect(email.html).not.toContain('\u202E');
    expect(email.text).not.toContain('\u202E');
  });
});

describe('renderEventEmail, truncation', () => {
  it('truncates long messages and values to 300 characters with an ellipsis', () => {
    const long = `${'a'.repeat(290)}${'b'.repeat(20)}TAIL`;
    const email = renderEventEmail(
      input('config_changed', { changes: [{ solutionId: 'suricata', key: 'rules', before: long, after: 'short' }] }, ['suricata']),
    );
    const shown = `${'a'.repeat(290)}${'b'.repeat(9)}…`;
    expect(Array.from(shown)).toHaveLength(300);
    expect(email.text).toContain(`rules: ${shown} → short`);
    expect(email.html).toContain(shown);
    expect(email.text).not.toContain('TAIL');
    expect(email.html).not.toContain('TAIL');

    const message = renderEventEmail(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 't', type: 'security', message: `${'m'.repeat(2000)}END` }] }, ['clamav']),
    );
    expect(message.text).toContain(`${'m'.repeat(299)}…`);
    expect(message.text).not.toContain('m'.repeat(300));
    expect(message.html).not.toContain('END');
  });

  it('does not split a character made of two UTF-16 units', () => {
    const email = renderEventEmail(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 't', type: 'security', message: '🔥'.repeat(400) }] }, ['clamav']),
    );
    expect(email.text).toContain(`${'🔥'.repeat(299)}…`);
    expect(email.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('keeps the subject within 150 characters', () => {
    const email = renderEventEmail({ ...failing(), agent: { id: 'agent-1', name: 'x'.repeat(200), hostname: null } });
    expect(Array.from(email.subject).length).toBeLessThanOrEqual(150);
    expect(email.subject.endsWith('…')).toBe(true);
  });
});

describe('sendgridTemplateData', () => {
  it('carries the same facts as plain JSON, unescaped for Handlebars to escape', () => {
    const data = sendgridTemplateData({ ...changed(), agent: { id: 'agent-1', name: 'web <1> & co', hostname: 'web-1.example.com' } });
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data).toMatchObject({
      kind: 'config_changed',
      subject: '[Vigil] web <1> & co: configuration changed (Suricata)',
      workspace: { id: 'ws-1', name: 'Acme Ops' },
      host: { id: 'agent-1', name: 'web <1> & co', hostname: 'web-1.example.com' },
      solutionNames: 'Suricata',
      changeCount: 3,
      testCount: 0,
      reportId: 'r-0123456789abcdef',
      createdAt: '2026-11-27 10:05 UTC',
      createdAtIso: '2026-11-27T10:05:00.000Z',
      url: `${DASHBOARD}/solution/?ws=ws-1&agent=agent-1&solution=suricata`,
      settingsUrl: `${DASHBOARD}/settings/?ws=ws-1`,
    });
    expect(data.solutions[0]?.changes).toEqual([
      { key: 'af-packet.threads', before: '2', after: '4' },
      { key: 'rule-files', before: '(not set)', after: 'emerging-threats.rules, local.rules' },
      { key: 'mode', before: 'ips', after: '(not set)' },
    ]);
  });

  it('lists failing tests and offline facts', () => {
    const failed = sendgridTemplateData(failing());
    expect(failed.testCount).toBe(2);
    expect(failed.solutions.map((solution) => [solution.name, solution.tests.map((test) => test.message)])).toEqual([
      ['ClamAV', ['the EICAR file was not detected']],
      ['Fail2ban', ['no jail enabled']],
    ]);
    const offline = sendgridTemplateData(input('agent_offline', { lastSeenAt: '2026-11-27T09:40:00Z', missedIntervals: 5 }, []));
    expect(offline).toMatchObject({ lastSeenAt: '2026-11-27 09:40 UTC', missedIntervals: 5, url: `${DASHBOARD}/events/?ws=ws-1&agent=agent-1` });
  });

  it('still strips line breaks from the subject and truncates values', () => {
    const data = sendgridTemplateData(
      input('test_failed', { tests: [{ solutionId: 'clamav', testId: 't', type: 'security', message: 'x'.repeat(1000) }] }, ['clamav'], {
        agent: { id: 'agent-1', name: 'web-1\r\nBcc: x@y', hostname: null },
      }),
    );
    expect(data.subject).not.toMatch(/[\r\n]/);
    expect(data.solutions[0]?.tests[0]?.message).toHaveLength(300);
  });
});

describe('renderEventEmail, when it happened', () => {
  function at(occurredAt: string, createdAt: string, kind: EventKind = 'test_failed'): EventEmailInput {
    const base = kind === 'test_failed' ? failing() : input(kind, {}, []);
    return { ...base, event: { ...base.event, occurredAt: new Date(occurredAt), createdAt: new Date(createdAt) } };
  }

  it('says when the thing happened, not when it was processed', () => {
    const email = renderEventEmail(at('2026-11-27T10:05:00Z', '2026-11-27T10:06:00Z'));
    expect(email.text).toContain('When: 2026-11-27 10:05 UTC\n');
    expect(email.text).not.toContain('Processed');
    expect(email.html).toContain('2026-11-27 10:05 UTC');
    expect(email.html).not.toContain('Processed');
  });

  it('also says when it was processed when that was more than a few minutes later (a backfilled report)', () => {
    const email = renderEventEmail(at('2026-11-27T04:00:00Z', '2026-11-27T10:06:00Z'));
    expect(email.text).toContain('When: 2026-11-27 04:00 UTC\n');
    expect(email.text).toContain('Processed: 2026-11-27 10:06 UTC (reported late)\n');
    expect(email.html).toMatch(/When<\/td><td[^>]*>2026-11-27 04:00 UTC</);
    expect(email.html).toMatch(/Processed<\/td><td[^>]*>2026-11-27 10:06 UTC \(reported late\)</);
    const data = sendgridTemplateData(at('2026-11-27T04:00:00Z', '2026-11-27T10:06:00Z'));
    expect(data).toMatchObject({
      occurredAt: '2026-11-27 04:00 UTC',
      occurredAtIso: '2026-11-27T04:00:00.000Z',
      createdAt: '2026-11-27 10:06 UTC',
      createdAtIso: '2026-11-27T10:06:00.000Z',
      processedLate: true,
    });
  });

  it('welcomes a host back at the time it reported again', () => {
    const email = renderEventEmail(at('2026-11-27T04:00:00Z', '2026-11-27T10:06:00Z', 'agent_online'));
    expect(email.text).toContain('The host reports again (2026-11-27 04:00 UTC).');
  });

  it('uses the processing time for an event stored before occurredAt existed', () => {
    const email = renderEventEmail(failing());
    expect(email.text).toContain('When: 2026-11-27 10:05 UTC\n');
    expect(sendgridTemplateData(failing())).toMatchObject({ occurredAt: '2026-11-27 10:05 UTC', processedLate: false });
  });
});
