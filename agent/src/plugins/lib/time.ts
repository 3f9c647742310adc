// Ages and moments, as metrics and as an administrator reads them.
import type { Host } from '../../host/host.js';
import { plural } from './text.js';

/** Hours since a moment, to one decimal: a metric that grows by itself. */
export function ageHours(host: Host, sinceMs: number): number {
  return Math.round(((host.now().getTime() - sinceMs) / 3_600_000) * 10) / 10;
}

/** "9 days", "1 hour", "5 hours": ages as an administrator reads them. */
export function describeAge(hours: number): string {
  if (hours < 1) return 'less than an hour';
  if (hours < 48) {
    const whole = Math.max(0, Math.floor(hours));
    return plural(whole, 'hour');
  }
  const days = Math.floor(hours / 24);
  return `${days} days`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / 86_400_000);
}

/** "2026-11-27 11:09 UTC": a moment as an administrator reads it in an email. */
export function formatMoment(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
