// Geometry for the small SVG charts: data to coordinates in a 0..width × 0..height box (y down).
// Pure, so the charts stay thin and this stays tested.
export interface XY {
  x: number;
  y: number;
}

export interface Domain {
  min: number;
  max: number;
}

/** The range of `values`, padded so a flat series sits mid-chart instead of on an edge. */
export function domainOf(values: readonly number[], { includeZero = false } = {}): Domain {
  if (values.length === 0) return { min: 0, max: 1 };
  let min = Math.min(...values);
  const max = Math.max(...values);
  if (includeZero) min = Math.min(0, min);
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return { min: includeZero ? Math.min(0, min - pad) : min - pad, max: max + pad };
  }
  return { min, max };
}

export function scale(value: number, from: Domain, to: Domain): number {
  const span = from.max - from.min;
  return span === 0 ? (to.min + to.max) / 2 : to.min + ((value - from.min) / span) * (to.max - to.min);
}

/** An SVG path through the points (time on x, value on y). */
export function linePath(points: readonly { time: number; value: number }[], x: Domain, y: Domain, width: number, height: number): string {
  return points
    .map((point, index) => {
      const px = scale(point.time, x, { min: 0, max: width });
      const py = scale(point.value, y, { min: height, max: 0 });
      return `${index === 0 ? 'M' : 'L'}${px.toFixed(2)},${py.toFixed(2)}`;
    })
    .join(' ');
}

/** The same line closed down to the x axis, for a filled area. */
export function areaPath(points: readonly { time: number; value: number }[], x: Domain, y: Domain, width: number, height: number): string {
  if (points.length === 0) return '';
  const line = linePath(points, x, y, width, height);
  const first = scale(points[0]!.time, x, { min: 0, max: width });
  const last = scale(points.at(-1)!.time, x, { min: 0, max: width });
  const base = scale(Math.max(y.min, 0), y, { min: height, max: 0 });
  return `${line} L${last.toFixed(2)},${base.toFixed(2)} L${first.toFixed(2)},${base.toFixed(2)} Z`;
}

/** Where one point lands in the box. */
export function pointAt(point: { time: number; value: number }, x: Domain, y: Domain, width: number, height: number): XY {
  return { x: scale(point.time, x, { min: 0, max: width }), y: scale(point.value, y, { min: height, max: 0 }) };
}

/** The time range of a chart; a single moment gets an hour either side, so it sits mid-chart. */
export function timeDomain(times: readonly number[]): Domain {
  if (times.length === 0) return { min: 0, max: 1 };
  const min = Math.min(...times);
  const max = Math.max(...times);
  return min === max ? { min: min - 3600_000, max: max + 3600_000 } : { min, max };
}

/**
 * Bars and cells take at least `minSlots` slots, newest on the right, so a young history draws a few
 * narrow bars instead of a few huge ones. Returns the slot count and the first slot used.
 */
export function slots(count: number, minSlots: number): { total: number; offset: number } {
  const total = Math.max(count, minSlots, 1);
  return { total, offset: total - count };
}
