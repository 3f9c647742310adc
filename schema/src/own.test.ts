import { describe, expect, it } from 'vitest';
import { slugSchema } from './common.js';
import { ownValue } from './own.js';
import { reportSchema } from './report.js';
import { solutionDisplayName } from './solutions.js';
import { validReport } from './test-fixtures.js';

// Names every plain object inherits: a record lookup must not find them.
const INHERITED_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('ownValue', () => {
  it('finds own values only, never an inherited member', () => {
    const record: Record<string, number> = { a: 1 };
    for (const name of INHERITED_NAMES) expect(ownValue(record, name)).toBeUndefined();
    expect(ownValue(record, 'a')).toBe(1);
    expect(ownValue({ constructor: 7 } as Record<string, number>, 'constructor')).toBe(7);
    expect(ownValue(undefined, 'a')).toBeUndefined();
  });
});

describe('solutionDisplayName', () => {
  it('shows an unknown id named like an Object.prototype member as the id itself', () => {
    for (const name of INHERITED_NAMES) expect(solutionDisplayName(name)).toBe(name);
    expect(solutionDisplayName('clamav')).toBe('ClamAV');
  });
});

describe('reports with keys named like Object.prototype members', () => {
  it('keeps them as own data and never lets "__proto__" reach a prototype', () => {
    const input = validReport();
    const solution = input.solutions[0]!;
    solution.id = 'constructor';
    solution.tests = [{ id: 'constructor', type: 'security', passed: false, message: 'x', durationMs: 1 }];
    solution.configuration = { constructor: 'a', toString: 'b', hasOwnProperty: 'c', valueOf: 'd' };
    const raw = JSON.parse(JSON.stringify(input).replace('"constructor":"a"', '"constructor":"a","__proto__":{"polluted":true}'));
    const report = reportSchema.parse(raw);
    const configuration = report.solutions[0]!.configuration;
    expect(Object.getPrototypeOf(configuration)).toBe(Object.prototype);
    expect(Object.keys(configuration).sort()).toEqual(['constructor', 'hasOwnProperty', 'toString', 'valueOf']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('ids named like Object.prototype members', () => {
  it('only "constructor" is a valid solution or test id (slugs are lower case and start with a letter or digit)', () => {
    expect(INHERITED_NAMES.filter((name) => slugSchema.safeParse(name).success)).toEqual(['constructor']);
  });
});
