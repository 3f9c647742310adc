import { LABEL_LIMITS } from '@vigil/schema/constants';
import { describe, expect, it } from 'vitest';
import { formatLabelLines, labelEntries, labelsFromDoc, parseLabelFilter, parseLabelLines } from './labels';

describe('parseLabelLines', () => {
  it('reads key=value lines, skipping blank ones and trimming around the key and the value', () => {
    expect(parseLabelLines('env=prod\n\n  role = web \nnote=a=b\nempty=')).toEqual({
      labels: { env: 'prod', role: 'web', note: 'a=b', empty: '' },
      problems: [],
    });
    expect(parseLabelLines('')).toEqual({ labels: {}, problems: [] });
  });

  it('names each bad line and why', () => {
    const { problems } = parseLabelLines(['env=prod', 'no-equals', 'Env=upper', '=value', 'ok=tab\there', 'env=again'].join('\n'));
    expect(problems).toEqual([
      'Line 2: write it as key=value.',
      expect.stringMatching(/^Line 3: the key must start with a lower-case letter/),
      'Line 4: write it as key=value.',
      expect.stringMatching(/^Line 5: the value must be printable text/),
      'Line 6: the key "env" is given twice.',
    ]);
  });

  it('refuses keys and values beyond their length, and more labels than allowed', () => {
    const longKey = 'k'.repeat(LABEL_LIMITS.keyLength + 1);
    const longValue = 'v'.repeat(LABEL_LIMITS.valueLength + 1);
    expect(parseLabelLines(`${longKey}=x`).problems).toEqual([`Line 1: the key must be at most ${LABEL_LIMITS.keyLength} characters.`]);
    expect(parseLabelLines(`k=${longValue}`).problems).toEqual([`Line 1: the value must be at most ${LABEL_LIMITS.valueLength} characters.`]);
    expect(parseLabelLines(`${'k'.repeat(LABEL_LIMITS.keyLength)}=${'v'.repeat(LABEL_LIMITS.valueLength)}`).problems).toEqual([]);
    const many = Array.from({ length: LABEL_LIMITS.maxLabels + 1 }, (_, i) => `k${i}=v`).join('\n');
    expect(parseLabelLines(many).problems).toEqual([`At most ${LABEL_LIMITS.maxLabels} labels, not ${LABEL_LIMITS.maxLabels + 1}.`]);
  });

  it('keeps a key named __proto__ as data', () => {
    const { labels, problems } = parseLabelLines('__proto__=x\nconstructor=y');
    // "__proto__" starts with "_", which a key may not: refused, never assigned to the prototype.
    expect(problems).toHaveLength(1);
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.hasOwn(labels, 'constructor')).toBe(true);
    expect(labels.constructor).toBe('y');
  });
});

describe('formatLabelLines and labelEntries', () => {
  it('writes labels by key, one a line, so parsing them gives them back', () => {
    const labels = { role: 'web', env: 'prod', 'team.name': 'a b' };
    expect(labelEntries(labels)).toEqual([
      ['env', 'prod'],
      ['role', 'web'],
      ['team.name', 'a b'],
    ]);
    expect(formatLabelLines(labels)).toBe('env=prod\nrole=web\nteam.name=a b');
    expect(parseLabelLines(formatLabelLines(labels))).toEqual({ labels, problems: [] });
  });
});

describe('parseLabelFilter', () => {
  it('is no filter when empty, one label when valid, a problem otherwise', () => {
    expect(parseLabelFilter('  ')).toEqual({ label: null });
    expect(parseLabelFilter(' env = prod ')).toEqual({ label: { key: 'env', value: 'prod' } });
    expect(parseLabelFilter('env')).toEqual({ problem: 'Not a label filter: write it as key=value.' });
    expect(parseLabelFilter('ENV=prod')).toEqual({ problem: expect.stringMatching(/^Not a label filter: the key must start/) });
  });
});

describe('labelsFromDoc', () => {
  it('keeps string values only, and nothing from a value that is not a map', () => {
    expect(labelsFromDoc({ env: 'prod', count: 3, nested: { a: 'b' } })).toEqual({ env: 'prod' });
    expect(labelsFromDoc(undefined)).toEqual({});
    expect(labelsFromDoc(['env=prod'])).toEqual({});
    expect(labelsFromDoc('env=prod')).toEqual({});
  });

  it('reads a key named __proto__ as an own entry', () => {
    const labels = labelsFromDoc(JSON.parse('{"__proto__":"x","env":"prod"}'));
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
    expect(Object.hasOwn(labels, '__proto__')).toBe(true);
  });
});
