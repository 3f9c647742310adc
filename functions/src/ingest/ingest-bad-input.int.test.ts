// Bad input at the running ingestReport callable: generated malformed reports, wrong keys and
// oversized bodies. Every one must get its precise error code (never `internal`), and the
// database must be exactly as it was afterwards.
import { LIMITS, parseApiKey, reportSchema } from '@vigil/schema';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validReport } from '../../../schema/src/test-fixtures.js';
import { enrollAgent, freshReport, sendReport, snapshotDocuments, type EnrolledAgent } from '../../../tests/support/agents.js';
import { adminDb, FUNCTIONS_ORIGIN } from '../../../tests/support/emulators.js';

const MUTABLE_PATHS = [
  'reportId',
  'agentVersion',
  'host',
  'host.hostname',
  'collectedAt',
  'solutions',
  'solutions.0',
  'solutions.0.id',
  'solutions.0.version',
  'solutions.0.detectedBy',
  'solutions.0.configuration',
  'solutions.0.metrics',
  'solutions.0.tests',
  'solutions.0.tests.0',
  'solutions.0.tests.0.id',
  'solutions.0.tests.0.type',
  'solutions.0.tests.0.passed',
  'solutions.0.tests.0.message',
  'solutions.0.tests.0.durationMs',
  'solutions.0.errors',
];

/** The valid report with the value at `path` replaced (or deleted, for `undefined`). */
function mutate(path: string, value: unknown): unknown {
  const report = structuredClone(validReport()) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let target: Record<string, unknown> = report;
  for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = keys.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return report;
}

const malformedReport = fc
  .oneof(
    { weight: 1, arbitrary: fc.jsonValue() },
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...MUTABLE_PATHS), fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }))
        .map(([path, value]) => mutate(path, value)),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          fc.constantFrom('reportId', 'solutions.0.id', 'solutions.0.tests.0.message', 'agentVersion'),
          fc.string({ minLength: 0, maxLength: 3000 }),
        )
        .map(([path, value]) => mutate(path, value)),
    },
  )
  .filter((candidate) => !reportSchema.safeParse(candidate).success);

let good: EnrolledAgent;
let other: EnrolledAgent;
let revoked: EnrolledAgent;
let before: Map<string, string>;
/** Everything bad input could touch: the three test workspaces' subtrees and every key. (Other files' data is left out: their triggers may still be settling.) */
let roots: string[];

beforeAll(async () => {
  good = await enrollAgent('fuzz-target');
  other = await enrollAgent('other-workspace');
  revoked = await enrollAgent('revoked');
  await revoked.owner.call('revokeAgent', { workspaceId: revoked.workspaceId, agentId: revoked.agentId });
  roots = [good, other, revoked].flatMap((agent) =>
    ['agents', 'events', 'members'].map((collection) => `workspaces/${agent.workspaceId}/${collection}`),
  );
  roots.push('agentKeys');
  before = await snapshotDocuments(adminDb(), roots);
});

afterAll(async () => {
  // The database is exactly as it was: no document added, changed or removed.
  const after = await snapshotDocuments(adminDb(), roots);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [path, content] of before) expect(after.get(path), path).toBe(content);
  await Promise.all([good, other, revoked].map((agent) => agent.owner.close()));
});

describe('ingestReport under bad input', () => {
  it('answers 1,000 generated malformed reports with invalid-argument naming a path', async () => {
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(malformedReport, async (payload) => {
        sent += 1;
        const response = await sendReport(good.key, payload);
        expect(response.status).toBe(400);
        expect(response.json?.error?.status).toBe('INVALID_ARGUMENT');
        const details = response.json?.error?.details as { issues?: Array<{ path: string; message: string }> } | undefined;
        expect(details?.issues?.length).toBeGreaterThan(0);
        expect(response.text).not.toMatch(/\n\s+at |Firestore|stack/);
      }),
      { numRuns: 1000, seed: 20261127 },
    );
    expect(sent).toBeGreaterThanOrEqual(1000);
  });

  it('refuses missing, wrong, garbled, revoked and mixed keys with unauthenticated', async () => {
    const goodParts = parseApiKey(good.key)!;
    const otherParts = parseApiKey(other.key)!;
    const keys = [
      undefined,
      '',
      'not-a-key',
      good.key.toUpperCase(),
      good.key.slice(0, -1),
      `${good.key}x`,
      `vgl_${'a'.repeat(16)}_${'B'.repeat(43)}`,
      `vgl_${goodParts.keyId}_${otherParts.secret}`,
      `vgl_${otherParts.keyId}_${goodParts.secret}`,
      revoked.key,
      `Bearer ${good.key}`,
    ];
    for (const key of keys) {
      const response = await sendReport(key, freshReport());
      expect(response.status, String(key)).toBe(401);
      expect(response.json?.error?.status).toBe('UNAUTHENTICATED');
      expect(response.json?.error?.message).toBe('The agent key is missing, unknown or revoked.');
    }
  });

  it('refuses an oversized report with invalid-argument before touching the database', async () => {
    const huge = freshReport();
    huge.solutions = Array.from({ length: 40 }, (_, index) => ({
      ...validReport().solutions[0]!,
      id: `s${index}`,
      configuration: { blob: 'x'.repeat(LIMITS.valueText) },
      tests: Array.from({ length: 4 }, (_, testIndex) => ({
        id: `t${testIndex}`,
        type: 'presence' as const,
        passed: true,
        message: 'y'.repeat(LIMITS.messageText),
        durationMs: 1,
      })),
    }));
    const response = await sendReport(good.key, huge);
    expect(response.status).toBe(400);
    expect(response.json?.error?.status).toBe('INVALID_ARGUMENT');
    expect(response.json?.error?.message).toMatch(/limit is 262144/);
  });

  it('refuses a body far over any limit without an internal error', async () => {
    const response = await fetch(`${FUNCTIONS_ORIGIN}/ingestReport`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vigil-key': good.key },
      body: JSON.stringify({ data: { padding: 'z'.repeat(12 * 1024 * 1024) } }),
    });
    expect([400, 413]).toContain(response.status);
  });

  it('refuses requests that are not callable requests at all', async () => {
    const cases: RequestInit[] = [
      { method: 'GET', headers: { 'x-vigil-key': good.key } },
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-vigil-key': good.key }, body: '{not json' },
      { method: 'POST', headers: { 'content-type': 'application/json', 'x-vigil-key': good.key }, body: '{"report": {}}' },
      { method: 'POST', headers: { 'content-type': 'text/plain', 'x-vigil-key': good.key }, body: 'hello' },
    ];
    for (const init of cases) {
      const response = await fetch(`${FUNCTIONS_ORIGIN}/ingestReport`, init);
      expect(response.status, `${init.method} ${String(init.body)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      const text = await response.text();
      expect(text).not.toMatch(/INTERNAL/);
    }
  });
});
