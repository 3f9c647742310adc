// Where to go after signing in: a dashboard link opened while signed out comes back to itself.
// Only paths on this site. The value is resolved as the browser would resolve it (the URL parser
// drops tabs and newlines and reads `\` as `/`, so `/\t/evil.example` is `//evil.example`), and
// kept only if it stays on this origin; what is returned is the parsed path, never the raw text.
export function safeNextPath(value: string | null | undefined, origin: string): string {
  if (!value || !value.startsWith('/')) return '/';
  let target: URL;
  try {
    target = new URL(value, origin);
  } catch {
    return '/';
  }
  if (target.origin !== new URL(origin).origin || target.username || target.password) return '/';
  const path = `${target.pathname}${target.search}${target.hash}`;
  // A path the router would read as another host again (`/.//evil` normalizes to `//evil`).
  if (path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}

export function signInPathFor(currentPath: string): string {
  return currentPath === '/' ? '/signin/' : `/signin/?${new URLSearchParams({ next: currentPath }).toString()}`;
}
