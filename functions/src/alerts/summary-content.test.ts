import { describe, expect, it } from 'vitest';
import { escapeHtml } from './html-template.js';
import { renderHourSummary, type HourSummaryInput } from './summary-content.js';

const input = (overrides: Partial<HourSummaryInput> = {}): HourSummaryInput => ({
  workspace: { id: 'ws-1', name: 'Acme Ops' },
  hour: '2026-12-01T21',
  sent: 30,
  capped: 12,
  cappedKinds: { test_failed: 10, agent_offline: 2 },
  dashboardUrl: 'https://vigil.example.com',
  ...overrides,
});

describe('renderHourSummary', () => {
  it('tells how many alerts were not mailed in the hour, per kind, and where to see them', () => {
    const email = renderHourSummary(input());
    expect(email.subject).toBe('[Vigil] 12 more alerts in Acme Ops in the last hour');
    for (const value of [
      'Vigil emailed 30 alerts for Acme Ops between 2026-12-01 21:00 UTC and 2026-12-01 22:00 UTC, its limit per hour, and did not email 12 more alerts:',
      'Tests failing: 10',
      'Went offline: 2',
      'https://vigil.example.com/events/?ws=ws-1',
    ]) {
      expect(email.text).toContain(value);
      expect(email.html).toContain(escapeHtml(value));
    }
    expect(email.text.indexOf('Tests failing')).toBeLessThan(email.text.indexOf('Went offline'));
  });

  it('says one alert in the singular, and makes the workspace name safe', () => {
    const email = renderHourSummary(
      input({ capped: 1, cappedKinds: { config_changed: 1 }, workspace: { id: 'ws-1', name: 'Evil <b>\r\nhttps://evil.example' } }),
    );
    expect(email.subject).toBe('[Vigil] 1 more alert in Evil <b> hxxps[://]evil[.]example in the last hour');
    expect(email.html).not.toContain('<b>');
    expect(email.html).not.toContain('https://evil');
  });
});
