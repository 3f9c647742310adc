import { createServer } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runScheduleNow, StackNotRunning, startScheduleRunner, UnknownSchedule } from './schedules.mjs';

/** A port nothing listens on: bound once, then closed. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A stand-in answering as the functions emulator does: a callable's JSON, or plain text for an unknown function. */
async function answering(handler) {
  const server = createServer((request, response) => handler(request, response));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

afterEach(() => vi.useRealTimers());

describe('running a schedule against the stack', () => {
  it('says the stack is not running when nothing answers', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}/demo-vigil/us-central1`;
    await expect(runScheduleNow('detectSilentAgents', { origin })).rejects.toThrow(StackNotRunning);
    await expect(runScheduleNow('detectSilentAgents', { origin })).rejects.toThrow(/Vigil is not running here.*npm start/);
  });

  it('says the stack is not running when the functions emulator has no such function', async () => {
    const server = await answering((_, response) => response.writeHead(404).end('Function us-central1-runSchedule does not exist'));
    await expect(runScheduleNow('detectSilentAgents', { origin: server.origin })).rejects.toThrow(StackNotRunning);
    await server.close();
  });

  it('tells an unknown schedule from a failed run', async () => {
    const server = await answering((request, response) => {
      const notFound = request.url.endsWith('/runSchedule');
      response.writeHead(notFound ? 404 : 500, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: notFound ? { status: 'NOT_FOUND', message: 'There is no schedule named "x".' } : { status: 'INTERNAL', message: 'INTERNAL' },
        }),
      );
    });
    await expect(runScheduleNow('x', { origin: server.origin })).rejects.toThrow(UnknownSchedule);
    await server.close();
  });
});

describe('startScheduleRunner', () => {
  it('runs each schedule on its cron and never starts a run while the previous one is going', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T10:02:00Z') });
    const runs = [];
    const lines = [];
    let finish;
    const run = (name) => {
      runs.push([name, new Date().toISOString()]);
      return new Promise((resolve) => (finish = () => resolve({ ok: true })));
    };
    const runner = startScheduleRunner(
      {
        timeZone: 'UTC',
        schedules: [
          { name: 'detectSilentAgents', schedule: 'every 5 minutes' },
          { name: 'sendDigests', schedule: 'every day 07:00' },
        ],
      },
      { run, log: (line) => lines.push(line) },
    );
    await vi.advanceTimersByTimeAsync(3 * 60_000); // 10:05: the first run starts, and hangs
    expect(runs).toEqual([['detectSilentAgents', '2026-12-01T10:05:00.000Z']]);
    await vi.advanceTimersByTimeAsync(5 * 60_000); // 10:10: still running, skipped
    expect(runs).toHaveLength(1);
    expect(lines).toContain('schedule detectSilentAgents: still running, this run skipped');
    finish();
    await vi.advanceTimersByTimeAsync(5 * 60_000); // 10:15
    expect(runs.map(([, when]) => when)).toEqual(['2026-12-01T10:05:00.000Z', '2026-12-01T10:15:00.000Z']);
    expect(lines.filter((line) => line === 'schedule detectSilentAgents: {"ok":true}')).toHaveLength(1);
    finish();
    await vi.advanceTimersByTimeAsync(5 * 60_000); // 10:20: the same summary again is not logged again
    expect(runs).toHaveLength(3);
    expect(lines.filter((line) => line === 'schedule detectSilentAgents: {"ok":true}')).toHaveLength(1);
    runner.stop();
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(runs).toHaveLength(3);
  });

  it('logs every failure', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-12-01T10:00:30Z') });
    const lines = [];
    const runner = startScheduleRunner(
      { timeZone: 'UTC', schedules: [{ name: 'sweepEmails', schedule: 'every 1 minutes' }] },
      { run: () => Promise.reject(new Error('runSchedule failed: INTERNAL')), log: (line) => lines.push(line) },
    );
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    runner.stop();
    expect(lines).toEqual(['schedule sweepEmails failed: runSchedule failed: INTERNAL', 'schedule sweepEmails failed: runSchedule failed: INTERNAL']);
  });

  it('refuses a cron it cannot run, by name, before running anything', () => {
    expect(() =>
      startScheduleRunner({ timeZone: 'UTC', schedules: [{ name: 'weekly', schedule: 'every monday 09:00' }] }, { run: () => {} }),
    ).toThrow(/Unsupported schedule "every monday 09:00"/);
  });
});
