import { describe, expect, it } from 'vitest';
import { LABEL_LIMITS } from './constants/enrollment.js';
import {
  LABEL_PAIR_MAX_LENGTH,
  labelKeyProblem,
  labelPair,
  labelPairs,
  labelsProblem,
  labelValueProblem,
  mergeEnrollmentLabels,
  parseLabel,
  splitLabelPair,
} from './labels.js';

describe('label keys', () => {
  it('takes Kubernetes-like names and refuses the rest', () => {
    for (const key of ['env', 'team.name', 'rack-12', 'a_b', '0zone']) expect(labelKeyProblem(key)).toBeUndefined();
    expect(labelKeyProblem('')).toMatch(/empty/);
    expect(labelKeyProblem('Env')).toMatch(/lower-case/);
    expect(labelKeyProblem('-env')).toMatch(/start/);
    expect(labelKeyProblem('__proto__')).toMatch(/start/);
    expect(labelKeyProblem('a/b')).toMatch(/only/);
    expect(labelKeyProblem('k'.repeat(LABEL_LIMITS.keyLength))).toBeUndefined();
    expect(labelKeyProblem('k'.repeat(LABEL_LIMITS.keyLength + 1))).toMatch(/at most 63/);
  });
});

describe('label values', () => {
  it('takes printable text up to 63 characters, empty included', () => {
    expect(labelValueProblem('')).toBeUndefined();
    expect(labelValueProblem('eu-west 1 (Paris)')).toBeUndefined();
    expect(labelValueProblem('v'.repeat(LABEL_LIMITS.valueLength + 1))).toMatch(/at most 63/);
    expect(labelValueProblem('a\nb')).toMatch(/printable/);
    expect(labelValueProblem('é')).toMatch(/printable/);
    expect(labelValueProblem(3)).toMatch(/text/);
  });
});

describe('label maps', () => {
  it('names the label at fault and caps the count', () => {
    expect(labelsProblem({ env: 'prod', role: 'db' })).toBeUndefined();
    expect(labelsProblem({ env: 'prod', Bad: 'x' })).toBe(
      'label key "Bad" must start with a lower-case letter or digit and use only a-z, 0-9, "-", "_" and "."',
    );
    expect(labelsProblem({ env: 'a\tb' })).toMatch(/^the value of label "env" must be printable/);
    const many = Object.fromEntries(Array.from({ length: LABEL_LIMITS.maxLabels + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(labelsProblem(many)).toBe('at most 20 labels, not 21');
    delete many.k0;
    expect(labelsProblem(many)).toBeUndefined();
  });

  it('parses key=value, keeping "=" in the value', () => {
    expect(parseLabel('env=prod')).toEqual({ key: 'env', value: 'prod' });
    expect(parseLabel('url=a=b')).toEqual({ key: 'url', value: 'a=b' });
    expect(parseLabel('empty=')).toEqual({ key: 'empty', value: '' });
    expect(parseLabel('noequals')).toBeUndefined();
    expect(parseLabel('=x')).toBeUndefined();
  });
});

describe('mergeEnrollmentLabels', () => {
  it("keeps the host's labels and lets the token's win on a shared key", () => {
    expect(mergeEnrollmentLabels({ env: 'prod', team: 'ops' }, { env: 'dev', rack: '12' })).toEqual({ env: 'prod', team: 'ops', rack: '12' });
    expect(mergeEnrollmentLabels({}, {})).toEqual({});
  });

  it('treats keys as data (constructor is an ordinary key)', () => {
    const merged = mergeEnrollmentLabels({ constructor: 'token' }, { constructor: 'host', tostring: 'x' });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged).toEqual({ constructor: 'token', tostring: 'x' });
  });
});

describe('label pairs (how events carry labels)', () => {
  it('writes each label as key=value, sorted by key', () => {
    expect(labelPairs({ role: 'web', env: 'prod', 'team.name': 'a=b' })).toEqual(['env=prod', 'role=web', 'team.name=a=b']);
    expect(labelPairs({})).toEqual([]);
    expect(labelPair('env', '')).toBe('env=');
  });

  it('reads a stored map tolerantly: no map, invalid labels and inherited keys give nothing', () => {
    for (const none of [undefined, null, 'env=prod', ['env=prod'], 3]) expect(labelPairs(none)).toEqual([]);
    expect(labelPairs({ env: 'prod', Bad: 'x', ok: 3, nl: 'a\nb' })).toEqual(['env=prod']);
    expect(labelPairs(JSON.parse('{"__proto__": "x", "a": "1"}'))).toEqual(['a=1']);
    expect(labelPairs(Object.create({ inherited: 'yes' }))).toEqual([]);
  });

  it("is bounded by the labels' own limits", () => {
    const many = Object.fromEntries(Array.from({ length: LABEL_LIMITS.maxLabels + 5 }, (_, i) => [`k${String(i).padStart(2, '0')}`, 'v']));
    expect(labelPairs(many)).toHaveLength(LABEL_LIMITS.maxLabels);
    const longest = labelPairs({ ['k'.repeat(LABEL_LIMITS.keyLength)]: 'v'.repeat(LABEL_LIMITS.valueLength) });
    expect(longest[0]).toHaveLength(LABEL_PAIR_MAX_LENGTH);
    expect(labelPairs({ ['k'.repeat(LABEL_LIMITS.keyLength + 1)]: 'v' })).toEqual([]);
  });

  it('splits a pair back at its first "="', () => {
    expect(splitLabelPair('team.name=a=b')).toEqual({ key: 'team.name', value: 'a=b' });
    expect(splitLabelPair('env=')).toEqual({ key: 'env', value: '' });
    expect(splitLabelPair(' env = prod ')).toEqual({ key: ' env ', value: ' prod ' });
    expect(splitLabelPair('=x')).toBeUndefined();
    expect(splitLabelPair('plain')).toBeUndefined();
  });
});
