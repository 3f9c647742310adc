import type { EventDetails, EventKind } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { DIGEST_ITEMS_PER_KIND, digestTemplateData, renderDigestEmail, type DigestInput } from './digest-content.js';
import type { AgentInfo } from './email-formatting.js';
import { escapeHtml } from './html-template.js';

const DASHBOARD = 'https://vigil.example.com';
const WEB: AgentInfo = { id: 'agent-web', name: 'web-1', hostname: 'web-1.example.com' };
const DB: AgentInfo = { id: 'agent-db', name: 'db-1', hostname: 'db-1.internal' };

function item(agent: AgentInfo, kind: EventKind, details: EventDetails, solutionIds: string[], at: string) {
  return { agent, event: { kind, details, solutionIds, reportId: 'r-0123456789abcdef', createdAt: new Date(at) } };
}

function digest(events: DigestInput['events'], workspaceName = 'Acme Ops'): DigestInput {
  return {
    workspace: { id: 'ws-1', name: workspaceName },
    events,
    periodStart: new Date('2026-11-26T08:00:00Z'),
    periodEnd: new Date('2026-11-27T08:00:00Z'),
    dashboardUrl: DASHBOARD,
  };
}

const day = () =>
  digest([
    item(
      WEB,
      'test_failed',
      { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'EICAR not detected' }] },
      ['clamav'],
      '2026-11-26T10:00:00Z',
    ),
    item(
      DB,
      'config_changed',
      { changes: [{ solutionId: 'sshd', key: 'PermitRootLogin', before: 'no', after: 'yes' }] },
      ['sshd'],
      '2026-11-26T11:00:00Z',
    ),
    item(
      WEB,
      'test_recovered',
      { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'EICAR detected' }] },
      ['clamav'],
      '2026-11-26T12:00:00Z',
    ),
    item(
      WEB,
      'test_failed',
      { tests: [{ solutionId: 'fail2ban', testId: 'jails-enabled', type: 'security', message: 'no jail enabled' }] },
      ['fail2ban'],
      '2026-11-26T09:00:00Z',
    ),
    item(DB, 'agent_offline', { lastSeenAt: '2026-11-26T20:00:00Z', missedIntervals: 4 }, [], '2026-11-26T20:30:00Z'),
    item(DB, 'solution_added', { solutions: ['crowdsec'] }, ['crowdsec'], '2026-11-26T13:00:00Z'),
  ]);

describe('renderDigestEmail', () => {
  it('sends nothing for an empty period', () => {
    expect(renderDigestEmail(digest([]))).toBeUndefined();
    expect(digestTemplateData(digest([]))).toBeUndefined();
  });

  it('groups by host, then kind, with counts, items and absolute links', () => {
    const email = renderDigestEmail(day());
    if (!email) throw new Error('expected a digest');
    expect(email.subject).toBe('[Vigil] Daily digest for Acme Ops: 6 events on 2 hosts');

    for (const value of [
      'Acme Ops',
      '2026-11-26 08:00 UTC to 2026-11-27 08:00 UTC',
      'web-1',
      'web-1.example.com',
      'db-1',
      'db-1.internal',
      'ClamAV: eicar-detected (security): EICAR not detected',
      'Fail2ban: jails-enabled (security): no jail enabled',
      'OpenSSH server: PermitRootLogin: no → yes',
      'CrowdSec',
      'since 2026-11-26 20:00 UTC (4 reporting intervals missed)',
      `${DASHBOARD}/agent/?ws=ws-1&agent=agent-web`,
      `${DASHBOARD}/events/?ws=ws-1&agent=agent-web&kind=test_failed`,
      `${DASHBOARD}/events/?ws=ws-1&agent=agent-db&kind=config_changed`,
      `${DASHBOARD}/events/?ws=ws-1`,
      `${DASHBOARD}/settings/?ws=ws-1`,
    ]) {
      expect(email.text, `text has ${value}`).toContain(value);
      expect(email.html, `html has ${value}`).toContain(escapeHtml(value));
    }

    const { text } = email;
    // Hosts by name (db-1 before web-1); kinds in the order of EVENT_KINDS; items oldest first.
    expect(text.indexOf('db-1 (db-1.internal): 3 events')).toBeGreaterThan(-1);
    expect(text.indexOf('web-1 (web-1.example.com): 3 events')).toBeGreaterThan(text.indexOf('db-1 (db-1.internal)'));
    const web = text.slice(text.indexOf('web-1 (web-1.example.com)'));
    expect(web).toContain('Tests failing (2 events)');
    expect(web).toContain('Tests recovered (1 event)');
    expect(web.indexOf('Tests failing')).toBeLessThan(web.indexOf('Tests recovered'));
    expect(web.indexOf('2026-11-26 09:00 UTC · Fail2ban')).toBeLessThan(web.indexOf('2026-11-26 10:00 UTC · ClamAV'));
    const db = text.slice(text.indexOf('db-1 (db-1.internal)'), text.indexOf('web-1 (web-1.example.com)'));
    expect(db.indexOf('Configuration changed')).toBeLessThan(db.indexOf('Solutions added'));
    expect(db.indexOf('Solutions added')).toBeLessThan(db.indexOf('Went offline'));
  });

  it(`lists at most ${DIGEST_ITEMS_PER_KIND} items per host and kind, then counts the rest`, () => {
    const tests = Array.from({ length: 15 }, (_, index) => ({
      solutionId: 'clamav',
      testId: `test-${index}`,
      type: 'security',
      message: `failure ${index}`,
    }));
    const email = renderDigestEmail(digest([item(WEB, 'test_failed', { tests }, ['clamav'], '2026-11-26T10:00:00Z')]));
    expect(email?.text).toContain('test-9 (security)');
    expect(email?.text).not.toContain('test-10 (security)');
    expect(email?.text).toContain('… and 5 more');
    expect(email?.html).toContain('… and 5 more');
  });

  it.each(['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'Tom & Jerry'])(
    'escapes %s wherever agents and users supply text',
    (payload) => {
      const agent = { id: 'agent-x', name: `name ${payload}`, hostname: `host ${payload}` };
      const email = renderDigestEmail(
        digest(
          [
            item(
              agent,
              'test_failed',
              { tests: [{ solutionId: 'clamav', testId: 't', type: 'security', message: `message ${payload}` }] },
              ['clamav'],
              '2026-11-26T10:00:00Z',
            ),
            item(
              agent,
              'config_changed',
              { changes: [{ solutionId: 'ufw', key: 'k', before: null, after: `value ${payload}` }] },
              ['ufw'],
              '2026-11-26T10:00:00Z',
            ),
          ],
          `workspace ${payload}`,
        ),
      );
      if (!email) throw new Error('expected a digest');
      for (const field of ['name', 'host', 'message', 'value', 'workspace']) {
        expect(email.html).toContain(escapeHtml(`${field} ${payload}`));
        expect(email.html).not.toContain(`${field} ${payload}`);
        expect(email.text).toContain(`${field} ${payload}`);
      }
      expect(email.html).not.toMatch(/&(?!(amp|lt|gt|quot|#39);)/);
      expect(email.html).not.toContain('<script');
      expect(email.html).not.toContain('<img');
    },
  );

  it('keeps line breaks out of the subject', () => {
    const email = renderDigestEmail(digest(day().events, 'Acme\r\nBcc: x@y'));
    expect(email?.subject).toBe('[Vigil] Daily digest for Acme Bcc: x@y: 6 events on 2 hosts');
  });

  it('truncates long messages', () => {
    const email = renderDigestEmail(
      digest([
        item(
          WEB,
          'test_failed',
          { tests: [{ solutionId: 'clamav', testId: 't', type: 'security', message: `${'z'.repeat(500)}END` }] },
          ['clamav'],
          '2026-11-26T10:00:00Z',
        ),
      ]),
    );
    expect(email?.text).toContain(`${'z'.repeat(299)}…`);
    expect(email?.text).not.toContain('END');
  });
});

describe('digestTemplateData', () => {
  it('carries the grouped facts as plain JSON, unescaped', () => {
    const data = digestTemplateData(digest(day().events, 'Acme & Co'));
    if (!data) throw new Error('expected data');
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(data.workspace).toEqual({ id: 'ws-1', name: 'Acme & Co' });
    expect(data.hosts.map((host) => [host.name, host.eventCount, host.kinds.map((kind) => kind.kind)])).toEqual([
      ['db-1', 3, ['config_changed', 'solution_added', 'agent_offline']],
      ['web-1', 3, ['test_failed', 'test_recovered']],
    ]);
  });
});

describe('renderDigestEmail, when things happened', () => {
  it('dates each item by when it happened, and adds when it was processed for a late one', () => {
    const late = {
      agent: WEB,
      event: {
        kind: 'test_failed' as const,
        details: { tests: [{ solutionId: 'clamav', testId: 'eicar-detected', type: 'security', message: 'EICAR not detected' }] },
        solutionIds: ['clamav'],
        reportId: 'r-0123456789abcdef',
        occurredAt: new Date('2026-11-26T03:00:00Z'),
        createdAt: new Date('2026-11-26T09:30:00Z'),
      },
    };
    const onTime = { ...late, event: { ...late.event, occurredAt: new Date('2026-11-26T10:00:00Z'), createdAt: new Date('2026-11-26T10:01:00Z') } };
    const email = renderDigestEmail(digest([late, onTime]));
    if (!email) throw new Error('expected a digest');
    expect(email.text).toContain('- 2026-11-26 03:00 UTC (processed 2026-11-26 09:30 UTC) · ClamAV: eicar-detected');
    expect(email.text).toContain('- 2026-11-26 10:00 UTC · ClamAV: eicar-detected');
    expect(email.html).toContain('2026-11-26 03:00 UTC (processed 2026-11-26 09:30 UTC) · ClamAV');
    // Oldest happening first.
    expect(email.text.indexOf('03:00 UTC')).toBeLessThan(email.text.indexOf('10:00 UTC ·'));
    const data = digestTemplateData(digest([late]));
    expect(data?.hosts[0]?.kinds[0]?.items[0]).toBe(
      '2026-11-26 03:00 UTC (processed 2026-11-26 09:30 UTC) · ClamAV: eicar-detected (security): EICAR not detected',
    );
  });
});
