import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES } from '@vigil/schema/constants';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, auditActionLabel, auditActorText, auditTargetTypeLabel } from './audit-text';

describe('audit text', () => {
  it('has its own label for every action in AUDIT_ACTIONS', () => {
    for (const action of AUDIT_ACTIONS) {
      const label = auditActionLabel(action);
      expect(label, action).not.toBe(action);
      expect(label.trim(), action).not.toBe('');
    }
    const labels = AUDIT_ACTIONS.map((action) => AUDIT_ACTION_LABELS[action]);
    expect(new Set(labels).size).toBe(labels.length);
    // No label for a name outside the set.
    expect(Object.keys(AUDIT_ACTION_LABELS).sort()).toEqual([...AUDIT_ACTIONS].sort());
  });

  it('names every target type, and shows an unknown action or type as its own name', () => {
    for (const type of AUDIT_TARGET_TYPES) expect(auditTargetTypeLabel(type), type).not.toBe(type);
    expect(auditActionLabel('agent.teleported')).toBe('agent.teleported');
    expect(auditActionLabel('constructor')).toBe('constructor');
    expect(auditTargetTypeLabel('constructor')).toBe('constructor');
    expect(auditTargetTypeLabel('__proto__')).toBe('__proto__');
  });

  it('says who acted', () => {
    expect(auditActorText({ type: 'user', uid: 'u1', email: 'ann@example.com' })).toBe('ann@example.com');
    expect(auditActorText({ type: 'user', uid: 'u1', email: null })).toBe('u1');
    expect(auditActorText({ type: 'system' })).toBe('Vigil');
    expect(auditActorText({ type: 'unknown' })).toBe('unknown');
  });
});
