import { describe, expect, it } from 'vitest';
import { areaPath, domainOf, linePath, scale } from './chart-geometry';

describe('chart geometry', () => {
  it('pads flat and empty series', () => {
    expect(domainOf([])).toEqual({ min: 0, max: 1 });
    expect(domainOf([5, 5])).toEqual({ min: 4.5, max: 5.5 });
    expect(domainOf([0, 0])).toEqual({ min: -1, max: 1 });
    expect(domainOf([3, 8], { includeZero: true })).toEqual({ min: 0, max: 8 });
  });

  it('maps values into the box with y pointing down', () => {
    expect(scale(5, { min: 0, max: 10 }, { min: 0, max: 100 })).toBe(50);
    const points = [
      { time: 0, value: 0 },
      { time: 10, value: 10 },
    ];
    expect(linePath(points, { min: 0, max: 10 }, { min: 0, max: 10 }, 100, 50)).toBe('M0.00,50.00 L100.00,0.00');
    expect(areaPath(points, { min: 0, max: 10 }, { min: 0, max: 10 }, 100, 50)).toBe('M0.00,50.00 L100.00,0.00 L100.00,50.00 L0.00,50.00 Z');
  });
});

describe('time domain and slots', () => {
  it('centres a single moment and right-aligns short histories', async () => {
    const { timeDomain, slots } = await import('./chart-geometry');
    expect(timeDomain([1000])).toEqual({ min: 1000 - 3600_000, max: 1000 + 3600_000 });
    expect(timeDomain([1, 5])).toEqual({ min: 1, max: 5 });
    expect(slots(3, 24)).toEqual({ total: 24, offset: 21 });
    expect(slots(96, 24)).toEqual({ total: 96, offset: 0 });
  });
});
