/** Where the console opens when nothing else was asked for. */
export const DEFAULT_PATH = "/monitoring/sup-sync-status";

/**
 * The `next` parameter, if it is a path of this console: a same-origin absolute path, not the login or change-password
 * page itself. Anything else (another origin, `//host`, `javascript:`) falls back to the default page.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return DEFAULT_PATH;
  if (/^\/(login|change-password)(?:[/?#]|$)/.test(next)) return DEFAULT_PATH;
  return next;
}

/** `/login?next=…` (or another page) for the location the user asked for. */
export function withNext(page: string, location: { pathname: string; search: string; hash: string }): string {
  return `${page}?next=${encodeURIComponent(location.pathname + location.search + location.hash)}`;
}
