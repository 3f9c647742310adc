// What a report says, as opposed to when and how it was measured: the content that decides whether
// ingest stores the report (store-decision.ts). The content is the solution set and, per solution,
// its id, version, configuration and errors, and its tests' id, type, passed and message. Metrics,
// durations, times, ids, host facts, delivery and agentHealth are not content: they change on every
// report and land on the agent document, which ingest writes anyway. Pure.
import { createHash } from 'node:crypto';
import type { Report } from '@vigil/schema';

/**
 * A canonical JSON text: object keys (own, enumerable: `__proto__` or `constructor` sent as keys are
 * data like any other) sorted at every depth, arrays in their order, no whitespace. Two values that
 * differ only in key order give the same text.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const record = value as Record<string, unknown>;
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(Object.getOwnPropertyDescriptor(record, key)?.value)}`).join(',')}}`;
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The report's content: solutions by id, tests by id, errors in a stable order (the order they were found in is not content). */
export function reportContent(report: Pick<Report, 'solutions'>) {
  return [...report.solutions]
    .sort((a, b) => byText(a.id, b.id))
    .map((solution) => ({
      id: solution.id,
      version: solution.version,
      configuration: solution.configuration,
      errors: solution.errors.map(canonicalJson).sort(byText),
      tests: [...solution.tests]
        .sort((a, b) => byText(a.id, b.id))
        .map((test) => ({ id: test.id, type: test.type, passed: test.passed, message: test.message })),
    }));
}

/** SHA-256 (hex) of the canonical JSON of the report's content. */
export function reportContentHash(report: Pick<Report, 'solutions'>): string {
  return createHash('sha256')
    .update(canonicalJson(reportContent(report)))
    .digest('hex');
}
