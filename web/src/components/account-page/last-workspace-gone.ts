// The workspace the user just deleted or left when it was their last, for the account page's notice.
// Kept for this tab in sessionStorage rather than in the address: a link could claim anything there.
// Only a label: the page shows the notice when the profile really lists no workspace.
export interface GoneWorkspace {
  name: string;
  how: 'deleted' | 'left';
}

const keyFor = (uid: string) => `vigil:last-workspace-gone:${uid}`;

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.sessionStorage;
  } catch {
    return undefined; // Storage disabled (some privacy modes throw on access).
  }
}

export function rememberGoneWorkspace(uid: string, gone: GoneWorkspace): void {
  try {
    storage()?.setItem(keyFor(uid), JSON.stringify(gone));
  } catch {
    // Full or disabled storage: the notice then names no workspace.
  }
}

export function goneWorkspace(uid: string): GoneWorkspace | null {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(keyFor(uid)) ?? 'null');
    if (typeof parsed !== 'object' || parsed === null) return null;
    const { name, how } = parsed as Record<string, unknown>;
    return typeof name === 'string' && (how === 'deleted' || how === 'left') ? { name, how } : null;
  } catch {
    return null;
  }
}

export function forgetGoneWorkspace(uid: string): void {
  try {
    storage()?.removeItem(keyFor(uid));
  } catch {
    // Disabled storage: nothing was kept either.
  }
}
