// Bends what a plugin returned into the protocol's limits (schema/src/limits.ts): strings are cut,
// lists and maps are capped, entries the schema would refuse are dropped. A report that ingest
// refuses loses every solution in it, so one plugin's long line must never cost the whole tick.
// Whatever is cut or dropped is said in that solution's `errors`, so nothing disappears silently.
// Every string that passes here is also scrubbed of credentials (scrub-secrets.ts): this is the one
// gate all of a report's solutions go through, whichever plugin wrote them.
import { DETECTION_SOURCES, LIMITS, TEST_TYPES, reportSizeBytes, type ConfigurationValue, type SolutionReport, type TestResult } from '@vigil/schema';
import { scrubSecrets } from './scrub-secrets.js';

type Scalar = string | number | boolean | null;
export type FittedSolution = SolutionReport;

const SLUG = /^[a-z0-9][a-z0-9_.-]*$/;
const FIELD_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:/@-]*$/;
const MAX_TEST_DURATION_MS = 3_600_000;

export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}…`;
}

/** How far past the cap a text is kept for scrubbing, so a secret across the cap is still found whole. */
const SCRUB_SLACK = 512;

/** A string as it may leave the host: scrubbed of credentials, then cut to max. */
export function fitText(text: string, max: number): string {
  return truncate(scrubSecrets(text.length > max + SCRUB_SLACK ? text.slice(0, max + SCRUB_SLACK) : text), max);
}

function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= LIMITS.idLength && SLUG.test(value);
}

function isFieldKey(key: string): boolean {
  return key.length <= LIMITS.keyLength && FIELD_KEY.test(key);
}

function examples(values: string[]): string {
  const shown = values.slice(0, 3).map((value) => `"${truncate(value, 40)}"`);
  return values.length > 3 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** Keeps a note per kind of repair, counted: "dropped 3 configuration entries with invalid keys (…)". */
class Notes {
  private readonly counts = new Map<string, { count: number; samples: string[] }>();

  add(kind: string, sample?: string): void {
    const entry = this.counts.get(kind) ?? { count: 0, samples: [] };
    entry.count += 1;
    if (sample !== undefined) entry.samples.push(sample);
    this.counts.set(kind, entry);
  }

  messages(): string[] {
    return [...this.counts].map(([kind, { count, samples }]) => (samples.length ? `${kind}: ${count} (${examples(samples)})` : `${kind}: ${count}`));
  }
}

function fitScalar(value: unknown, notes: Notes, key: string): Scalar | undefined {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    notes.add('configuration values that were not finite numbers, sent as null', key);
    return null;
  }
  if (typeof value === 'string') {
    if (value.length > LIMITS.valueText) notes.add('configuration values cut to the size limit', key);
    return fitText(value, LIMITS.valueText);
  }
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  // Objects and bigints: plugins should flatten them; sending their JSON beats losing them.
  notes.add('configuration values that were objects, sent as JSON text', key);
  const text = typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? String(value));
  return fitText(text, LIMITS.valueText);
}

function fitConfiguration(input: unknown, notes: Notes): Record<string, ConfigurationValue> {
  const out: Record<string, ConfigurationValue> = {};
  if (!input || typeof input !== 'object') return out;
  let count = 0;
  for (const [key, raw] of Object.entries(input)) {
    if (!isFieldKey(key)) {
      notes.add('configuration entries dropped for an invalid name', key);
      continue;
    }
    let value: ConfigurationValue | undefined;
    if (Array.isArray(raw)) {
      if (raw.length > LIMITS.listItems) notes.add('configuration lists cut to the item limit', key);
      value = raw
        .slice(0, LIMITS.listItems)
        .map((item) => (Array.isArray(item) ? fitScalar(JSON.stringify(item), notes, key) : fitScalar(item, notes, key)))
        .filter((item): item is Scalar => item !== undefined);
    } else {
      value = fitScalar(raw, notes, key);
    }
    if (value === undefined) continue;
    if (count >= LIMITS.configurationEntries) {
      notes.add('configuration entries over the limit, dropped', key);
      continue;
    }
    out[key] = value;
    count += 1;
  }
  return out;
}

function fitMetrics(input: unknown, notes: Notes): Record<string, number> {
  const out: Record<string, number> = {};
  if (!input || typeof input !== 'object') return out;
  let count = 0;
  for (const [key, value] of Object.entries(input)) {
    if (!isFieldKey(key)) notes.add('metrics dropped for an invalid name', key);
    else if (typeof value !== 'number' || !Number.isFinite(value)) notes.add('metrics dropped for not being a finite number', key);
    else if (count >= LIMITS.metricsEntries) notes.add('metrics over the limit, dropped', key);
    else {
      out[key] = value;
      count += 1;
    }
  }
  return out;
}

function fitTests(input: unknown, notes: Notes): TestResult[] {
  const out: TestResult[] = [];
  if (!Array.isArray(input)) return out;
  const seen = new Set<string>();
  for (const raw of input as Partial<TestResult>[]) {
    if (!raw || typeof raw !== 'object') continue;
    const id = raw.id;
    if (!isSlug(id)) {
      notes.add('tests dropped for an invalid id', String(id));
      continue;
    }
    if (seen.has(id)) {
      notes.add('tests dropped for repeating an id', id);
      continue;
    }
    if (!(TEST_TYPES as readonly unknown[]).includes(raw.type) || typeof raw.passed !== 'boolean') {
      notes.add('tests dropped for an unknown type or result', id);
      continue;
    }
    if (out.length >= LIMITS.testsPerSolution) {
      notes.add('tests over the limit, dropped', id);
      continue;
    }
    seen.add(id);
    const duration = typeof raw.durationMs === 'number' && Number.isFinite(raw.durationMs) ? raw.durationMs : 0;
    out.push({
      id,
      type: raw.type!,
      passed: raw.passed,
      message: fitText(typeof raw.message === 'string' ? raw.message : '', LIMITS.messageText),
      durationMs: Math.min(MAX_TEST_DURATION_MS, Math.max(0, Math.round(duration))),
    });
  }
  return out;
}

export interface SolutionError {
  code?: string;
  message: string;
}

/** Caps the list at the limit, the last slot saying how many more there were. */
export function capErrors(errors: SolutionError[]): SolutionError[] {
  const fitted = errors.map((error) => ({
    ...(isSlug(error.code) ? { code: error.code } : {}),
    message: fitText(typeof error.message === 'string' ? error.message : String(error.message), LIMITS.messageText),
  }));
  if (fitted.length <= LIMITS.errorsPerSolution) return fitted;
  const kept = fitted.slice(0, LIMITS.errorsPerSolution - 1);
  return [...kept, { code: 'more-errors', message: `${fitted.length - kept.length} more errors not shown` }];
}

/** A plugin's output, whatever its shape, as a solution entry that the schema accepts. */
export function fitSolution(id: string, raw: Partial<Record<keyof SolutionReport, unknown>>): FittedSolution {
  const notes = new Notes();
  const version =
    typeof raw.version === 'string'
      ? fitText(raw.version, LIMITS.shortText)
      : raw.version == null
        ? null
        : fitText(String(raw.version), LIMITS.shortText);
  const detectedBy = Array.isArray(raw.detectedBy)
    ? [
        ...new Set(
          raw.detectedBy.filter((source): source is SolutionReport['detectedBy'][number] =>
            (DETECTION_SOURCES as readonly unknown[]).includes(source),
          ),
        ),
      ]
    : [];
  const configuration = fitConfiguration(raw.configuration, notes);
  const metrics = fitMetrics(raw.metrics, notes);
  const tests = fitTests(raw.tests, notes);
  const errors = Array.isArray(raw.errors) ? (raw.errors as SolutionError[]).filter((error) => error && typeof error === 'object') : [];
  for (const message of notes.messages()) errors.push({ code: 'output-trimmed', message });
  return { id, version, detectedBy, configuration, metrics, tests, errors: capErrors(errors) };
}

/** Measured as ingest measures it: the larger of the JSON and the stored size (numbers cost 8 bytes stored). */
function byteLength(value: unknown): number {
  return reportSizeBytes(value);
}

/**
 * Shrinks the largest solutions until the report fits in `maxBytes`: first their configuration,
 * then long test messages, metrics, long error messages and finally tests. Each step leaves an error entry saying what was left out.
 */
export function fitReportSize<R extends { solutions: FittedSolution[] }>(report: R, maxBytes: number): R {
  const steps: ((solution: FittedSolution) => string | undefined)[] = [
    (solution) => {
      if (Object.keys(solution.configuration).length === 0) return undefined;
      solution.configuration = {};
      return 'configuration left out';
    },
    (solution) => {
      if (!solution.tests.some((test) => test.message.length > 200)) return undefined;
      solution.tests = solution.tests.map((test) => ({ ...test, message: truncate(test.message, 200) }));
      return 'test messages cut to 200 characters';
    },
    (solution) => {
      if (Object.keys(solution.metrics).length === 0) return undefined;
      solution.metrics = {};
      return 'metrics left out';
    },
    (solution) => {
      if (!solution.errors.some((error) => error.message.length > 200)) return undefined;
      solution.errors = solution.errors.map((error) => ({ ...error, message: truncate(error.message, 200) }));
      return 'error messages cut to 200 characters';
    },
    (solution) => {
      if (solution.tests.length === 0) return undefined;
      solution.tests = [];
      return 'tests left out';
    },
  ];
  for (const step of steps) {
    while (byteLength(report) > maxBytes) {
      const bySize = [...report.solutions].sort((a, b) => byteLength(b) - byteLength(a));
      const shrunk = bySize.find((solution) => {
        const what = step(solution);
        if (what === undefined) return false;
        solution.errors = capErrors([...solution.errors, { code: 'report-too-large', message: `${what}: the report was over ${maxBytes} bytes` }]);
        return true;
      });
      if (!shrunk) break;
    }
  }
  return report;
}
