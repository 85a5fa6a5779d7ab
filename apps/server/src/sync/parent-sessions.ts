// A child site's runs reuse the session cookie of their parent's SUP endpoint, per worker process: a cascade runs
// thousands of short child runs against a few parents, and the authorization chain (three SOAP calls, each a
// signed cookie on the parent's side) was half of a child's calls. The cookie lasts hours (the endpoint's cookie
// lifetime); the client renews it before it runs out and runs the chain when the parent refuses it (InvalidCookie:
// another key, a restored database), so reuse never fails a run. The top-level site's upstream is not in here: its
// runs are few, and Microsoft Update's or an upstream WSUS's authorization stays exactly what each sync does.
import type { Cookie } from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";

const sessions = new WeakMap<AppContext, Map<string, Cookie>>();

function of(ctx: AppContext): Map<string, Cookie> {
  let map = sessions.get(ctx);
  if (!map) {
    map = new Map();
    sessions.set(ctx, map);
  }
  return map;
}

/** The cookie the last run against this parent endpoint (`url`) ended with, if any. */
export function parentCookie(ctx: AppContext, url: string): Cookie | undefined {
  return of(ctx).get(url);
}

/** Keeps the cookie a run ended with for the next run against the same endpoint; none: forget the old one. */
export function keepParentCookie(ctx: AppContext, url: string, cookie: Cookie | undefined): void {
  if (cookie) of(ctx).set(url, cookie);
  else of(ctx).delete(url);
}
