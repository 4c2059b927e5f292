/**
 * One-off confirmations carried to the next page in the router's navigation state ("X was
 * deleted" shown on the list after leaving the deleted person's page). Not kept in the URL, so a
 * reload or a shared link does not repeat them.
 */
export function flashFrom(state: unknown): string | null {
  return typeof state === 'object' && state !== null && 'flash' in state && typeof state.flash === 'string'
    ? state.flash
    : null;
}
