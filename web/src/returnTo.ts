/**
 * Where a newcomer goes back to after signing up or signing in by a mailed link: a project page
 * sends them away to register or sign in, and the link in the mail opens a new page, so the way
 * back is kept in this browser (localStorage, shared by its tabs) for a day. Only Kankei's own
 * public project pages are accepted, so a stored value can never send anyone elsewhere.
 */
const KEY = 'kankei.returnTo';
const MAX_AGE_MS = 24 * 60 * 60 * 1000;
const ALLOWED = /^\/projects\/[0-9a-f-]{36}$/;

export function rememberReturnTo(path: string): void {
  if (!ALLOWED.test(path)) return;
  try {
    localStorage.setItem(KEY, JSON.stringify({ path, at: Date.now() }));
  } catch {
    // Storage blocked: the newcomer lands on their page instead, where the projects are linked.
  }
}

/** The page to return to, if one was remembered in the last day (left in place until `forgetReturnTo`). */
export function returnToPath(): string | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const { path, at } = JSON.parse(raw) as { path?: unknown; at?: unknown };
    if (typeof path !== 'string' || !ALLOWED.test(path) || typeof at !== 'number') return null;
    return Date.now() - at <= MAX_AGE_MS ? path : null;
  } catch {
    return null;
  }
}

/** Called once the newcomer is back where they wanted to be. */
export function forgetReturnTo(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing kept.
  }
}
