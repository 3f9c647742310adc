import { afterEach, describe, expect, it } from 'vitest';
import { dashboardUrl } from './params.js';
import { checkedDashboardUrl, DashboardUrlError } from './dashboard-url.js';

describe('checkedDashboardUrl', () => {
  it('accepts an https URL and drops trailing slashes', () => {
    expect(checkedDashboardUrl('https://vigil.example.com/', false)).toBe('https://vigil.example.com');
    expect(checkedDashboardUrl(' https://acme.web.app ', false)).toBe('https://acme.web.app');
    expect(checkedDashboardUrl('https://example.com/vigil//', false)).toBe('https://example.com/vigil');
  });

  it.each([
    ['', /DASHBOARD_URL is not set/],
    ['   ', /DASHBOARD_URL is not set/],
    ['vigil.example.com', /not a URL/],
    ['http://vigil.example.com', /https/],
    ['ftp://vigil.example.com', /https/],
    ['https://localhost:3000', /local address/],
    ['https://127.0.0.1:5000', /local address/],
    ['https://[::1]/', /local address/],
    ['https://user:secret@vigil.example.com', /credentials/],
    ['https://vigil.example.com/?next=x', /query or fragment/],
    ['https://vigil.example.com/#x', /query or fragment/],
  ])('refuses %j outside the emulator', (value, message) => {
    expect(() => checkedDashboardUrl(value, false)).toThrow(DashboardUrlError);
    expect(() => checkedDashboardUrl(value, false)).toThrow(message);
  });

  it('lets the emulator link to the local dashboard over http', () => {
    expect(checkedDashboardUrl('http://localhost:3000', true)).toBe('http://localhost:3000');
    expect(checkedDashboardUrl('http://127.0.0.1:5000/', true)).toBe('http://127.0.0.1:5000');
    expect(() => checkedDashboardUrl('', true)).toThrow(/DASHBOARD_URL is not set/);
    expect(() => checkedDashboardUrl('javascript:alert(1)', true)).toThrow(/http/);
  });
});

describe('the DASHBOARD_URL param where it is read', () => {
  const saved = { url: process.env.DASHBOARD_URL, emulator: process.env.FUNCTIONS_EMULATOR };
  afterEach(() => {
    for (const [name, value] of [
      ['DASHBOARD_URL', saved.url],
      ['FUNCTIONS_EMULATOR', saved.emulator],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('has no localhost fallback when deployed and requires https', () => {
    delete process.env.FUNCTIONS_EMULATOR;
    delete process.env.DASHBOARD_URL;
    expect(() => dashboardUrl.value()).toThrow(/DASHBOARD_URL is not set/);
    process.env.DASHBOARD_URL = 'http://vigil.example.com';
    expect(() => dashboardUrl.value()).toThrow(/https/);
    process.env.DASHBOARD_URL = 'https://vigil.example.com/';
    expect(dashboardUrl.value()).toBe('https://vigil.example.com');
  });

  it('takes the development URL in the emulator', () => {
    process.env.FUNCTIONS_EMULATOR = 'true';
    process.env.DASHBOARD_URL = 'http://localhost:3000';
    expect(dashboardUrl.value()).toBe('http://localhost:3000');
  });
});
