'use client';

import { formatDateTime, formatRelative } from '@/lib/text/format';
import { useNow } from './use-now';

/** "5 minutes ago", with the exact time on hover and for machines. */
export function RelativeTime({ date, fallback = 'never' }: { date: Date | null; fallback?: string }) {
  const now = useNow();
  if (!date) return <>{fallback}</>;
  return (
    <time dateTime={date.toISOString()} title={formatDateTime(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
