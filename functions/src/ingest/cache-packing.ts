// How the agent cache (agent-cache.ts) holds the agent document's hourly histories in memory: as
// columns of numbers (typed arrays) instead of 48 small objects per history, which is most of a
// cached agent's heap (docs/architecture.md, "Ingest": ~34 KiB a typical agent unpacked, ~12 KiB
// packed), so an instance can keep a whole fleet. Lossless up to the order of map keys (which a
// Firestore map does not keep): a history packs only when it is exactly of the shape ingest writes
// (ISO hours, integer counts, finite metrics, no other fields); anything else stays as it was. Pure.
import type { HourBucket } from './tests-history.js';
import type { MetricsHour } from './agent-metrics.js';

export interface PackedTestsHistory {
  packed: 'testsHistory';
  hours: string[];
  passed: Float64Array;
  failed: Float64Array;
}

export interface PackedMetricsHistory {
  packed: 'metricsHistory';
  hours: string[];
  /** Each column's solution id and metric key. */
  columns: [string, string][];
  /** Row-major, one row per hour; NaN where an hour has no value for a column. */
  values: Float64Array;
}

/**
 * Hour strings shared by every cached agent (they all report in the same few hours), so a packed
 * history holds references, not copies. Cleared when it grows past a few years of hours.
 */
const HOURS = new Map<string, string>();
const HOURS_KEPT = 50_000;

function internedHour(hour: unknown): string | undefined {
  if (typeof hour !== 'string') return undefined;
  const known = HOURS.get(hour);
  if (known !== undefined) return known;
  const ms = Date.parse(hour);
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== hour) return undefined;
  if (HOURS.size >= HOURS_KEPT) HOURS.clear();
  HOURS.set(hour, hour);
  return hour;
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

function hasExactly(value: Record<string, unknown>, keys: string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}

/** The tests history packed, or the value as it was when it does not round-trip exactly. */
export function packTestsHistory(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const rows = value as unknown[];
  const packed: PackedTestsHistory = {
    packed: 'testsHistory',
    hours: [],
    passed: new Float64Array(rows.length),
    failed: new Float64Array(rows.length),
  };
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    if (!isPlainRecord(row) || !hasExactly(row, ['hour', 'passed', 'failed'])) return value;
    const hour = internedHour(row.hour);
    if (hour === undefined || !Number.isInteger(row.passed) || !Number.isInteger(row.failed)) return value;
    packed.hours.push(hour);
    packed.passed[index] = row.passed as number;
    packed.failed[index] = row.failed as number;
  }
  return packed;
}

/** The metrics history packed, or the value as it was when it does not round-trip exactly. */
export function packMetricsHistory(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const rows = value as unknown[];
  const columnOf = new Map<string, number>();
  const columns: [string, string][] = [];
  const cells: [number, number, number][] = [];
  const hours: string[] = [];
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index];
    if (!isPlainRecord(row) || !hasExactly(row, ['hour', 'solutions']) || !isPlainRecord(row.solutions)) return value;
    const hour = internedHour(row.hour);
    if (hour === undefined) return value;
    hours.push(hour);
    for (const [solutionId, metrics] of Object.entries(row.solutions)) {
      // A solution with no metrics has no column to stand for it: keep such a history as it is.
      if (!isPlainRecord(metrics) || Object.keys(metrics).length === 0) return value;
      for (const [key, metric] of Object.entries(metrics)) {
        if (typeof metric !== 'number' || !Number.isFinite(metric)) return value;
        const name = JSON.stringify([solutionId, key]);
        let column = columnOf.get(name);
        if (column === undefined) {
          column = columns.length;
          columnOf.set(name, column);
          columns.push([solutionId, key]);
        }
        cells.push([index, column, metric]);
      }
    }
  }
  const values = new Float64Array(rows.length * columns.length).fill(Number.NaN);
  for (const [row, column, metric] of cells) values[row * columns.length + column] = metric;
  const packed: PackedMetricsHistory = { packed: 'metricsHistory', hours, columns, values };
  return packed;
}

function isPacked(value: unknown): value is PackedTestsHistory | PackedMetricsHistory {
  const kind = (value as { packed?: unknown } | null)?.packed;
  return kind === 'testsHistory' || kind === 'metricsHistory';
}

/** A history as stored, from what pack* returned. */
export function unpackHistory(value: unknown): unknown {
  if (!isPacked(value)) return value;
  const { hours } = value;
  if (value.packed === 'testsHistory') {
    return hours.map((hour, index): HourBucket => ({ hour, passed: value.passed[index]!, failed: value.failed[index]! }));
  }
  const width = value.columns.length;
  return hours.map((hour, row): MetricsHour => {
    // A Map, then Object.fromEntries: stored keys are data (a `__proto__` solution id stays a key).
    const solutions = new Map<string, [string, number][]>();
    value.columns.forEach(([solutionId, key], column) => {
      const metric = value.values[row * width + column]!;
      if (Number.isNaN(metric)) return;
      const entries = solutions.get(solutionId) ?? [];
      entries.push([key, metric]);
      solutions.set(solutionId, entries);
    });
    return { hour, solutions: Object.fromEntries(Array.from(solutions, ([id, entries]) => [id, Object.fromEntries(entries)])) };
  });
}
