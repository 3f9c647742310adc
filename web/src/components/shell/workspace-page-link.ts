// Where the workspace switcher goes when the user picks another workspace: a page that makes sense
// in any workspace keeps its place (its filters do not: they name this workspace's agents, people
// and kinds); a page about one thing of this workspace (an agent, a solution) goes to the overview.
import { dashboardLinks } from '@vigil/schema/constants';

const KEPT: readonly (readonly [prefix: string, link: (ws: string) => string])[] = [
  ['/agents', dashboardLinks.agents],
  ['/events', dashboardLinks.events],
  ['/settings', dashboardLinks.settings],
  ['/members', dashboardLinks.members],
  ['/activity', dashboardLinks.activity],
  ['/enrollment', dashboardLinks.enrollment],
];

export function linkInWorkspace(pathname: string, workspaceId: string): string {
  // By path segment: '/agent/' (one agent) is not '/agents/'.
  const kept = KEPT.find(([prefix]) => pathname === prefix || pathname.startsWith(`${prefix}/`));
  return kept ? kept[1](workspaceId) : dashboardLinks.overview(workspaceId);
}
