// The workspace document and the bootstrap reply as the dashboard reads them. Types come from
// @vigil/schema; the checks are by hand because the dashboard does not bundle zod (see
// lib/model/values.ts for why readers are tolerant).
import type { BootstrapWorkspaceResult, Role, WorkspaceSettings } from '@vigil/schema';

export const WORKSPACE_ROLES = ['owner', 'admin', 'viewer'] as const satisfies readonly Role[];
export type WorkspaceRole = Role;

export type BootstrapResult = BootstrapWorkspaceResult;

export interface Workspace {
  id: string;
  name: string;
  createdAt: Date | null;
  settings: WorkspaceSettings | null;
}

export class UnexpectedShapeError extends Error {
  constructor(what: string) {
    super(`The server sent an unexpected ${what}.`);
    this.name = 'UnexpectedShapeError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

const isRole = (value: unknown): value is WorkspaceRole => typeof value === 'string' && (WORKSPACE_ROLES as readonly string[]).includes(value);

export function parseBootstrapResult(data: unknown): BootstrapResult {
  if (!isRecord(data) || typeof data.workspaceId !== 'string' || data.workspaceId === '' || !isRole(data.role) || typeof data.created !== 'boolean') {
    throw new UnexpectedShapeError('workspace bootstrap reply');
  }
  return { workspaceId: data.workspaceId, role: data.role, created: data.created };
}

function toDate(value: unknown): Date | null {
  if (isRecord(value) && typeof value.toDate === 'function') {
    const date: unknown = value.toDate();
    return date instanceof Date ? date : null;
  }
  return null;
}

function parseSettings(value: unknown): WorkspaceSettings | null {
  if (!isRecord(value)) return null;
  const { retentionDays, reportingIntervalSeconds, failedTestThreshold } = value;
  if (typeof retentionDays !== 'number' || typeof reportingIntervalSeconds !== 'number' || typeof failedTestThreshold !== 'number') {
    return null;
  }
  const settings: WorkspaceSettings = { retentionDays, reportingIntervalSeconds, failedTestThreshold };
  // Optional: workspaces from before the audit log have none (AUDIT_RETENTION_DAYS.default applies).
  if (typeof value.auditRetentionDays === 'number') settings.auditRetentionDays = value.auditRetentionDays;
  // Optional: absent or null (or anything but a number) is automatic key rotation off.
  if (typeof value.keyRotationDays === 'number') settings.keyRotationDays = value.keyRotationDays;
  return settings;
}

export function workspaceFromDoc(id: string, data: unknown): Workspace {
  if (!isRecord(data) || typeof data.name !== 'string') {
    throw new UnexpectedShapeError('workspace document');
  }
  return {
    id,
    name: data.name,
    createdAt: toDate(data.createdAt),
    settings: parseSettings(data.settings),
  };
}
