'use client';

// The Activity page's read: the audit log a page at a time (the person filter's members come from
// useMembers). One-time reads, not listeners: the log only grows, and opening the page (or changing
// a filter) reads it again.
import useSWRInfinite from 'swr/infinite';
import type { AuditPage } from '../data/audit';
import { AUDIT_PAGE_SIZE, type AuditFilters } from '../domain/audit-filters';
import { withData } from '../firebase/lazy';
import { swrKeys } from './swr-keys';

/** The entries matching `filters`, newest first, AUDIT_PAGE_SIZE a page; null `workspaceId` reads nothing. */
export function useAuditFeed(workspaceId: string | null, filters: AuditFilters) {
  return useSWRInfinite<AuditPage, Error>(
    (index, previous: AuditPage | null) => {
      if (!workspaceId || (index > 0 && !previous?.next)) return null;
      return swrKeys.auditPage(workspaceId, filters, index, previous?.next ?? null);
    },
    ([, ws, , , after]: ReturnType<typeof swrKeys.auditPage>) => withData((data, db) => data.fetchAuditPage(db, ws, filters, AUDIT_PAGE_SIZE, after)),
    // Read again on every opening, so what was just done shows; older pages only when asked for.
    { revalidateOnMount: true, revalidateFirstPage: false, revalidateAll: false },
  );
}
