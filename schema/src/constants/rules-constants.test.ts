// firestore.rules cannot import anything, so it restates the lists and bounds of these constants.
// This reads the rules as text and pins every restated list and bound to its constant: a kind,
// choice, role or bound changed on one side only fails here, not in production.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_KINDS } from './event-kinds.js';
import { NOTIFICATION_CHOICES } from './notifications.js';
import { MANAGING_ROLES } from './roles.js';
import { AUDIT_RETENTION_DAYS, KEY_ROTATION_DAYS, WORKSPACE_SETTING_BOUNDS, WORKSPACE_SETTING_KEYS } from './workspace-settings.js';
import { slugSchema } from '../common.js';
import { LIMITS } from '../limits.js';

const RULES = readFileSync(new URL('../../../firestore.rules', import.meta.url), 'utf8');

/** The body of the rules function `name`, up to the next function or match. */
function ruleFunction(name: string): string {
  const start = RULES.indexOf(`function ${name}(`);
  if (start < 0) throw new Error(`firestore.rules has no function ${name}`);
  const next = RULES.slice(start + 1).search(/\n\s*(function |match )/);
  return next < 0 ? RULES.slice(start) : RULES.slice(start, start + 1 + next);
}

/** Every string of each `[...]` list after `prefix` in `text`. */
function listsAfter(text: string, prefix: string): string[][] {
  const lists: string[][] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf(prefix, from);
    if (at < 0) return lists;
    const open = text.indexOf('[', at + prefix.length);
    const close = text.indexOf(']', open);
    lists.push([...text.slice(open, close).matchAll(/'([^']*)'/g)].map((m) => m[1] as string));
    from = close;
  }
}

describe('firestore.rules agree with @vigil/schema/constants', () => {
  it('accept exactly the event kinds as notification keys, each with a known choice', () => {
    const body = ruleFunction('validNotifications');
    expect(listsAfter(body, 'hasOnly(')).toEqual([[...EVENT_KINDS]]);
    expect(listsAfter(body, 'hasAll(')).toEqual([[...EVENT_KINDS]]);
    const checked = [...body.matchAll(/validChoice\(choices, '([^']+)'\)/g)].map((m) => m[1]);
    expect(checked).toEqual([...EVENT_KINDS]);
  });

  it('accept exactly the notification choices', () => {
    expect(listsAfter(ruleFunction('validChoice'), 'choices[kind] in')).toEqual([[...NOTIFICATION_CHOICES]]);
  });

  it('let exactly the managing roles manage a workspace', () => {
    expect(listsAfter(ruleFunction('canManage'), '.role in')).toEqual([[...MANAGING_ROLES]]);
  });

  it('hold every workspace setting to its bounds, and no other setting', () => {
    const body = ruleFunction('validSettings');
    expect(listsAfter(body, 'let keys =')).toEqual([[...WORKSPACE_SETTING_KEYS]]);
    const bounds = Object.fromEntries(
      [...body.matchAll(/isIntIn\(settings\.(\w+), (\d+), (\d+)\)/g)].map((m) => [m[1], { min: Number(m[2]), max: Number(m[3]) }]),
    );
    const expected = Object.fromEntries(
      WORKSPACE_SETTING_KEYS.map((key) => [key, { min: WORKSPACE_SETTING_BOUNDS[key].min, max: WORKSPACE_SETTING_BOUNDS[key].max }]),
    );
    expect(bounds).toEqual(expected);
  });

  it('hold the optional audit retention and automatic key rotation to their bounds', () => {
    const body = ruleFunction('validSettings');
    expect(body).toContain("hasOnly(keys.concat(['auditRetentionDays', 'keyRotationDays']))");
    expect(body).toContain(`isIntInOptional(settings.auditRetentionDays, ${AUDIT_RETENTION_DAYS.min}, ${AUDIT_RETENTION_DAYS.max})`);
    expect(body).toContain(`isIntInOptional(settings.keyRotationDays, ${KEY_ROTATION_DAYS.min}, ${KEY_ROTATION_DAYS.max})`);
  });

  it('check solution and test ids (in check-mark ids) as slugSchema does', () => {
    const body = ruleFunction('isSlug');
    expect(body).toContain(`value.size() >= 1 && value.size() <= ${LIMITS.idLength}`);
    const pattern = /value\.matches\('([^']+)'\)/.exec(body)?.[1];
    const slug = slugSchema.def.checks?.map((check) => (check as { _zod: { def: { pattern?: RegExp } } })._zod.def.pattern).find(Boolean);
    expect(slug?.source).toBe(`^${pattern}$`);
  });

  it("bound a workspace's name as the schema does", () => {
    expect(ruleFunction('validWorkspaceName')).toContain(`name.size() >= 1 && name.size() <= ${LIMITS.workspaceNameLength}`);
  });
});
