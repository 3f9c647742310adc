// Milestones of a page load on the browser's performance timeline (DevTools shows them; the
// dashboard benchmark prints them). Each is marked once per page load.
export function markOnce(name: string): void {
  if (typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}
