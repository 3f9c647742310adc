import { afterEach, beforeEach, describe, expect, it, vi, type Mock, type MockInstance } from 'vitest';
import packageJson from '../../../package.json';
import {
  bounded,
  initErrorReporting,
  MAX_REPORTS_PER_PAGE,
  startErrorReporting,
  stripQueryStrings,
  type DashboardErrorReporter,
} from './error-reporting';

const DSN = 'https://public123@sentry.example.com/42';
const ENVELOPE_URL = `https://sentry.example.com/api/42/envelope/?sentry_version=7&sentry_key=public123&sentry_client=vigil%2F${packageJson.version}`;

class FakeWindow extends EventTarget {
  readonly location = { pathname: '/agent/', search: '?ws=ws-private&agent=agent-private' };
}

function errorEvent(error: unknown, message = ''): Event {
  return Object.assign(new Event('error'), { error, message });
}

function rejectionEvent(reason: unknown): Event {
  return Object.assign(new Event('unhandledrejection'), { reason });
}

/** The event inside the one envelope fetch was called with. */
function sentEvent(fetchMock: Mock, call = 0): Record<string, any> {
  const body = fetchMock.mock.calls[call]?.[1]?.body as string;
  const lines = body.trimEnd().split('\n');
  expect(lines).toHaveLength(3);
  return JSON.parse(lines[2]!) as Record<string, any>;
}

describe('dashboard error reporting', () => {
  let page: FakeWindow;
  let addListener: MockInstance<FakeWindow['addEventListener']>;
  let fetchMock: Mock;
  let reporter: DashboardErrorReporter | undefined;

  beforeEach(() => {
    page = new FakeWindow();
    addListener = vi.spyOn(page, 'addEventListener');
    (globalThis as { window?: unknown }).window = page;
    fetchMock = vi.fn(async () => new Response(null, { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
  });

  afterEach(() => {
    reporter?.stop();
    reporter = undefined;
    delete (globalThis as { window?: unknown }).window;
    vi.unstubAllEnvs();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  function throwEverything() {
    page.dispatchEvent(errorEvent(new TypeError('boom for ann@example.com')));
    page.dispatchEvent(rejectionEvent(new Error('rejected')));
  }

  it.each([undefined, '', '   '])('with no DSN (%j) registers no listener and never calls fetch', (dsn) => {
    vi.stubEnv('NEXT_PUBLIC_SENTRY_DSN', dsn);
    reporter = initErrorReporting();
    throwEverything();
    expect(reporter.enabled).toBe(false);
    expect(reporter.report(new Error('asked directly'), 'error')).toBe(false);
    expect(addListener).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('with a DSN sends one envelope per error to the project, with its public key and without emails or query strings', () => {
    vi.stubEnv('NEXT_PUBLIC_SENTRY_DSN', DSN);
    reporter = initErrorReporting();
    expect(reporter.enabled).toBe(true);
    const error = new TypeError('could not load https://vigil.example.com/agent/?ws=ws-private&agent=agent-private for ann@example.com');
    error.stack = [
      `TypeError: ${error.message}`,
      '    at load (https://vigil.example.com/_next/static/chunks/app.js?v=ws-private:1:234)',
      '    at https://vigil.example.com/agent/?agent=agent-private:3:4',
    ].join('\n');
    page.dispatchEvent(errorEvent(error));

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(ENVELOPE_URL);
    expect(init).toMatchObject({ method: 'POST', keepalive: true, credentials: 'omit', referrerPolicy: 'no-referrer' });
    expect(init.headers).toBeUndefined();
    const body = init.body as string;
    for (const secret of ['ann@example.com', 'ws-private', 'agent-private', '?ws', '?v=', '?agent']) expect(body).not.toContain(secret);

    const event = sentEvent(fetchMock);
    expect(event).toMatchObject({
      level: 'fatal',
      platform: 'javascript',
      release: `vigil-dashboard@${packageJson.version}`,
      tags: { component: 'dashboard', page: '/agent/', source: 'error' },
    });
    expect(event.exception.values[0]).toMatchObject({
      type: 'TypeError',
      value: 'could not load https://vigil.example.com/agent/ for [email]',
      mechanism: { handled: false },
    });
    expect(event.exception.values[0].stacktrace.frames).toEqual([
      { filename: 'https://vigil.example.com/agent/', lineno: 3, colno: 4 },
      { function: 'load', filename: 'https://vigil.example.com/_next/static/chunks/app.js', lineno: 1, colno: 234 },
    ]);
    expect(event).not.toHaveProperty('user');
    expect(event).not.toHaveProperty('request');
  });

  it('reports unhandled rejections, a thrown value that is not an Error by its type only', () => {
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: fetchMock });
    page.dispatchEvent(rejectionEvent({ name: 'a document', owner: 'ann@example.com' }));
    page.dispatchEvent(rejectionEvent(new RangeError('out of range')));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(fetchMock.mock.calls[0]![1].body).not.toContain('a document');
    expect(sentEvent(fetchMock, 0).exception.values[0]).toMatchObject({ type: 'NonError', value: 'a value of type object was thrown' });
    expect(sentEvent(fetchMock, 1)).toMatchObject({ tags: { source: 'unhandledrejection' } });
    expect(sentEvent(fetchMock, 1).exception.values[0]).toMatchObject({ type: 'RangeError', value: 'out of range' });
  });

  it('ignores error events without an error object (cross-origin "Script error.", ResizeObserver notices)', () => {
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: fetchMock });
    page.dispatchEvent(errorEvent(null, 'Script error.'));
    page.dispatchEvent(errorEvent(undefined, 'ResizeObserver loop completed with undelivered notifications.'));
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it(`sends at most ${MAX_REPORTS_PER_PAGE} reports per page load, and the same error once`, () => {
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: fetchMock });
    for (let i = 0; i < 5; i += 1) page.dispatchEvent(errorEvent(new Error('the same loop')));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 100; i += 1) page.dispatchEvent(errorEvent(new Error(`error number ${i}`)));
    page.dispatchEvent(rejectionEvent(new Error('one more')));
    expect(fetchMock).toHaveBeenCalledTimes(MAX_REPORTS_PER_PAGE);
  });

  it.each(['not a dsn', 'https://sentry.example.com/42', 'https://public123@sentry.example.com/project', 'ftp://public123@sentry.example.com/42'])(
    'refuses the malformed DSN %j with a console warning and stays off',
    (dsn) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      vi.stubEnv('NEXT_PUBLIC_SENTRY_DSN', dsn);
      reporter = initErrorReporting();
      throwEverything();
      expect(reporter.enabled).toBe(false);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatch(/NEXT_PUBLIC_SENTRY_DSN is not a Sentry DSN .*error reporting is off/);
      expect(addListener).not.toHaveBeenCalled();
      expect(fetchMock).not.toHaveBeenCalled();
    },
  );

  it('refuses a DSN with a secret part, which the build would have made public', () => {
    const warn = vi.fn();
    reporter = startErrorReporting({ dsn: 'https://public123:secret@sentry.example.com/42', version: '1.2.3', target: page, fetch: fetchMock, warn });
    throwEverything();
    expect(reporter.enabled).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/secret part.*Error reporting is off/));
    expect(warn.mock.calls[0]![0]).not.toContain('secret@sentry');
    expect(addListener).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('registers its listeners once per page, however often it is started', () => {
    vi.stubEnv('NEXT_PUBLIC_SENTRY_DSN', DSN);
    reporter = initErrorReporting();
    expect(initErrorReporting()).toBe(reporter);
    expect(addListener.mock.calls.map(([type]) => type)).toEqual(['error', 'unhandledrejection']);
    page.dispatchEvent(errorEvent(new Error('once')));
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('stops listening when stopped', () => {
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: fetchMock });
    reporter.stop();
    throwEverything();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('swallows a failed send, so that reporting never raises an error of its own', async () => {
    // A rejected send whose catch() is observed: the reporter must attach a handler to it.
    const rejected = Promise.reject(new TypeError('Failed to fetch'));
    const handled = vi.spyOn(rejected, 'catch');
    const failing = vi.fn(() => rejected);
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: failing as unknown as typeof fetch });
    page.dispatchEvent(errorEvent(new Error('first')));
    expect(failing).toHaveBeenCalledTimes(1);
    expect(handled).toHaveBeenCalledTimes(1);
    await expect(rejected).rejects.toThrow('Failed to fetch');

    const throwing = vi.fn(() => {
      throw new TypeError('keepalive budget spent');
    });
    reporter.stop();
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: throwing });
    expect(reporter.report(new Error('second'), 'error')).toBe(false);
    expect(throwing).toHaveBeenCalledTimes(1);
  });

  it('cuts a huge message before scrubbing it, so a megabyte of JSON neither freezes the page nor leaks', () => {
    reporter = startErrorReporting({ dsn: DSN, version: '1.2.3', target: page, fetch: fetchMock });
    const blob = JSON.stringify(Array.from({ length: 40_000 }, (_, i) => ({ id: i, owner: 'ann@example.com' })));
    page.dispatchEvent(errorEvent(new SyntaxError(`bad reply ${blob}`)));
    page.dispatchEvent(errorEvent(new Error(blob)));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    for (const call of [0, 1]) {
      const body = fetchMock.mock.calls[call]![1].body as string;
      expect(body).not.toContain('ann@');
      expect(body.length).toBeLessThan(30_000);
    }
    expect(sentEvent(fetchMock, 0).exception.values[0].value).toBe('bad reply […]');
  });

  it('does nothing during the static prerender, where there is no window', () => {
    delete (globalThis as { window?: unknown }).window;
    vi.stubEnv('NEXT_PUBLIC_SENTRY_DSN', DSN);
    reporter = initErrorReporting();
    expect(reporter.enabled).toBe(false);
    expect(addListener).not.toHaveBeenCalled();
  });
});

describe('bounded', () => {
  it('keeps short text, and cuts long text at a word boundary so no half of an address is left', () => {
    expect(bounded('short text', 10)).toBe('short text');
    const text = `${'word '.repeat(3)}ann@example.com and more`;
    expect(bounded(text, 10)).toBe('word word word […]');
    expect(bounded('x'.repeat(50), 10)).toBe(' […]');
  });
});

describe('stripQueryStrings', () => {
  it("removes query strings and fragments from URLs and paths, and keeps a frame's line and column", () => {
    expect(stripQueryStrings('at https://h.example/agent/?ws=1&agent=2 now')).toBe('at https://h.example/agent/ now');
    expect(stripQueryStrings('(https://h.example/a.js?v=abc:12:34)')).toBe('(https://h.example/a.js:12:34)');
    expect(stripQueryStrings('navigating to /solution/?ws=1&agent=2&solution=clamav#tests')).toBe('navigating to /solution/');
    expect(stripQueryStrings('"http://h.example/x#frag"')).toBe('"http://h.example/x"');
  });

  it('leaves text without a query alone', () => {
    for (const text of ['Missing or insufficient permissions.', 'Is it a/b? Yes.', 'https://h.example/a.js:1:2', 'what?']) {
      expect(stripQueryStrings(text)).toBe(text);
    }
  });
});
