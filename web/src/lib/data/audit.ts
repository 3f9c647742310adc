// The audit log (workspaces/{ws}/audit, owners and admins read it): filtered pages, newest first.
import {
  collection,
  getDocs,
  limit,
  orderBy,
  query,
  startAfter,
  where,
  type DocumentSnapshot,
  type Firestore,
  type QueryConstraint,
} from 'firebase/firestore';
import { paths } from '@vigil/schema/constants';
import { AUDIT_ORDER, auditConditions, type AuditFilters } from '../domain/audit-filters';
import { auditEntryFromDoc, type AuditEntryView } from '../model/audit-entry';
import { countQueryRead } from './read-counter';

/** Where a page of entries ends; pass it back to read the next one. Opaque to callers. */
export type AuditCursor = DocumentSnapshot;

export interface AuditPage {
  entries: AuditEntryView[];
  /** The last entry of this page when another page follows, else null. */
  next: AuditCursor | null;
}

function constraints(filters: AuditFilters): QueryConstraint[] {
  return auditConditions(filters).map((condition) => where(condition.field, condition.op, condition.value));
}

/**
 * One page of the entries matching `filters`, newest first, after `after`. It asks for one entry
 * more than the page holds to know whether another page follows: `pageSize + 1` reads at most.
 */
export async function fetchAuditPage(
  db: Firestore,
  workspaceId: string,
  filters: AuditFilters,
  pageSize: number,
  after: AuditCursor | null,
): Promise<AuditPage> {
  const snapshot = await getDocs(
    query(
      collection(db, paths.audit(workspaceId)),
      ...constraints(filters),
      orderBy(AUDIT_ORDER.field, AUDIT_ORDER.direction),
      ...(after ? [startAfter(after)] : []),
      limit(pageSize + 1),
    ),
  );
  countQueryRead(snapshot.size);
  const shown = snapshot.docs.slice(0, pageSize);
  return {
    entries: shown.map((entry) => auditEntryFromDoc(entry.id, entry.data())),
    next: snapshot.size > pageSize ? (shown.at(-1) ?? null) : null,
  };
}
