import { dashboardLinks } from '@vigil/schema/constants';
import { describe, expect, it } from 'vitest';
import { linkInWorkspace } from './workspace-page-link';

describe('the page the workspace switcher opens', () => {
  it('keeps every page that makes sense in any workspace, without its filters', () => {
    expect(linkInWorkspace('/agents/', 'w2')).toBe(dashboardLinks.agents('w2'));
    expect(linkInWorkspace('/events/', 'w2')).toBe(dashboardLinks.events('w2'));
    expect(linkInWorkspace('/settings/', 'w2')).toBe(dashboardLinks.settings('w2'));
    expect(linkInWorkspace('/members/', 'w2')).toBe(dashboardLinks.members('w2'));
    expect(linkInWorkspace('/activity/', 'w2')).toBe(dashboardLinks.activity('w2'));
    expect(linkInWorkspace('/enrollment/', 'w2')).toBe(dashboardLinks.enrollment('w2'));
    expect(linkInWorkspace('/members', 'w2')).toBe(dashboardLinks.members('w2'));
  });

  it("sends a page about one of this workspace's things, and the overview, to the overview", () => {
    expect(linkInWorkspace('/agent/', 'w2')).toBe(dashboardLinks.overview('w2'));
    expect(linkInWorkspace('/solution/', 'w2')).toBe(dashboardLinks.overview('w2'));
    expect(linkInWorkspace('/', 'w2')).toBe(dashboardLinks.overview('w2'));
  });
});
