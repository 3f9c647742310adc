'use client';

// The Activity page's reads: the audit log a page at a time, and the people its person filter offers.
// One-time reads, not listeners: the log only grows, and a reload (or a filter change) reads it again.
import useSWR from 'swr';
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
    { revalidateFirstPage: false, revalidateAll: false },
  );
}

/** The workspace's members by address, for the person filter. */
export function useAuditPeople(workspaceId: string | null) {
  return useSWR(workspaceId ? swrKeys.auditPeople(workspaceId) : null, ([, ws]) => withData((data, db) => data.fetchAuditPeople(db, ws)));
}
