// Where to go after signing in: a dashboard link opened while signed out comes back to itself.
// Only paths on this site: anything else (another origin, `//evil`, `/\evil`) falls back to `/`.
export function safeNextPath(value: string | null | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  return value;
}

export function signInPathFor(currentPath: string): string {
  return currentPath === '/' ? '/signin/' : `/signin/?${new URLSearchParams({ next: currentPath }).toString()}`;
}
