// The workspace a user last had open, per user, in localStorage: `/` without `?ws=` opens it at
// once, in parallel with reading the user's profile instead of after it. Only a hint: the member
// document still decides access, and a hint that no longer opens is forgotten.
const keyFor = (uid: string) => `vigil:last-workspace:${uid}`;

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined; // Storage disabled (some privacy modes throw on access).
  }
}

export function rememberedWorkspace(uid: string): string | null {
  try {
    return storage()?.getItem(keyFor(uid)) || null;
  } catch {
    return null;
  }
}

export function rememberWorkspace(uid: string, workspaceId: string): void {
  try {
    storage()?.setItem(keyFor(uid), workspaceId);
  } catch {
    // Full or disabled storage: the hint is only an optimization.
  }
}

export function forgetWorkspace(uid: string): void {
  try {
    storage()?.removeItem(keyFor(uid));
  } catch {
    // Disabled storage: nothing was remembered either.
  }
}
