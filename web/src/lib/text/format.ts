// How times, intervals and values read on the dashboard. Pure; the locale comes from the browser.
import type { ConfigurationValue } from '@vigil/schema';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 minutes ago", "in 2 hours", "just now" (within a minute). */
export function formatRelative(date: Date, now: Date, locale?: string): string {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return 'just now';
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const formatDateTime = (date: Date): string => dateTimeFormat.format(date);
export const formatTime = (date: Date): string => timeFormat.format(date);

/** 300 → "5 min", 3600 → "1 h", 5400 → "1 h 30 min", 45 → "45 s". */
export function formatInterval(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours ? `${hours} h` : '', minutes ? `${minutes} min` : '', rest ? `${rest} s` : ''];
  return parts.filter(Boolean).join(' ');
}

/** A configuration value as one line of text: lists joined with ", ", null as "(not set)". */
export function formatConfigurationValue(value: ConfigurationValue | undefined): string {
  if (value === null || value === undefined) return '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '(empty list)' : value.map((item) => formatConfigurationValue(item)).join(', ');
  if (typeof value === 'string') return value === '' ? '(empty)' : value;
  return String(value);
}

// One plural for dashboard, emails and agent.
export { plural } from '@vigil/schema/constants';

/** Large metric values stay readable: 8700000 → "8.7M". */
export function formatMetric(value: number): string {
  return new Intl.NumberFormat(undefined, { notation: Math.abs(value) >= 100_000 ? 'compact' : 'standard', maximumFractionDigits: 2 }).format(value);
}
