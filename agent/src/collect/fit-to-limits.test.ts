import { solutionReportSchema } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { reportSizeBytes } from '@vigil/schema';
import { capErrors, fitReportSize, fitSolution, truncate } from './fit-to-limits.js';

describe('fitSolution', () => {
  it('turns whatever a broken plugin returned into a valid solution entry', () => {
    const fitted = fitSolution('clamav', {
      version: 7 as never,
      detectedBy: ['package', 'package', 'telepathy'] as never,
      configuration: null,
      metrics: 'lots' as never,
      tests: 'none' as never,
      errors: [{ code: 'Not A Slug', message: 'x' }, null] as never,
    });
    expect(fitted).toEqual({
      id: 'clamav',
      version: '7',
      detectedBy: ['package'],
      configuration: {},
      metrics: {},
      tests: [],
      errors: [{ message: 'x' }],
    });
    expect(solutionReportSchema.safeParse(fitted).success).toBe(true);
  });

  it('caps lists, maps and test durations', () => {
    const fitted = fitSolution('ufw', {
      version: null,
      configuration: {
        rules: Array.from({ length: 150 }, (_, index) => `rule ${index}`),
        nested: [[1, 2], { a: 1 }] as never,
        infinite: Number.POSITIVE_INFINITY,
        gone: undefined,
        ...Object.fromEntries(Array.from({ length: 205 }, (_, index) => [`k${index}`, index])),
      },
      metrics: Object.fromEntries(Array.from({ length: 205 }, (_, index) => [`m${index}`, index])),
      tests: [{ id: 'slow', type: 'operational', passed: true, message: 'ok', durationMs: 9e9 }],
    });
    expect(solutionReportSchema.safeParse(fitted).success).toBe(true);
    expect(fitted.configuration.rules).toHaveLength(100);
    expect(fitted.configuration.nested).toEqual(['[1,2]', '{"a":1}']);
    expect(fitted.configuration.infinite).toBeNull();
    expect(fitted.configuration).not.toHaveProperty('gone');
    expect(Object.keys(fitted.configuration)).toHaveLength(200);
    expect(Object.keys(fitted.metrics)).toHaveLength(200);
    expect(fitted.tests[0]!.durationMs).toBe(3_600_000);
    expect(fitted.errors.map((error) => error.code)).toEqual(Array(fitted.errors.length).fill('output-trimmed'));
  });
});

describe('capErrors', () => {
  it('keeps 19 errors and says how many more there were', () => {
    const capped = capErrors(Array.from({ length: 25 }, (_, index) => ({ message: `e${index}` })));
    expect(capped).toHaveLength(20);
    expect(capped.at(-1)).toEqual({ code: 'more-errors', message: '6 more errors not shown' });
  });
});

describe('fitReportSize', () => {
  it('goes as far as dropping tests, saying so each time', () => {
    const solution = fitSolution('sshd', {
      version: null,
      tests: Array.from({ length: 100 }, (_, index) => ({
        id: `t${index}`,
        type: 'security',
        passed: false,
        message: 'm'.repeat(2_000),
        durationMs: 1,
      })),
      errors: Array.from({ length: 10 }, () => ({ message: 'e'.repeat(2_000) })),
    });
    const report = fitReportSize({ solutions: [solution] }, 5_000);
    expect(Buffer.byteLength(JSON.stringify(report))).toBeLessThanOrEqual(5_000);
    expect(report.solutions[0]!.tests).toEqual([]);
    expect(report.solutions[0]!.errors.filter((error) => error.code === 'report-too-large').map((error) => error.message)).toEqual([
      'test messages cut to 200 characters: the report was over 5000 bytes',
      'error messages cut to 200 characters: the report was over 5000 bytes',
      'tests left out: the report was over 5000 bytes',
    ]);
  });
});

describe('fitReportSize by stored size', () => {
  it('fits a report of number lists, small as JSON but large as Firestore stores it', () => {
    const zeros = Array.from({ length: 100 }, () => 0);
    const configuration = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`k${index}`, zeros]));
    const solutions = Array.from({ length: 7 }, (_, index) => fitSolution(`s${index}`, { version: null, configuration }));
    const report = fitReportSize({ solutions }, 256 * 1024);
    expect(reportSizeBytes(report)).toBeLessThanOrEqual(256 * 1024);
    expect(report.solutions.some((solution) => solution.errors.some((error) => error.code === 'report-too-large'))).toBe(true);
  });
});

describe('truncate', () => {
  it('cuts with an ellipsis inside the limit', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
