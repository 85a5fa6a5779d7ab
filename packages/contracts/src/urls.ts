import type { z } from "zod";
import type { FieldReason } from "./errors.ts";

/** True unless `value` parses as a URL carrying a user name or password (credentials never belong in a stored URL). */
export function withoutCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === "" && url.password === "";
  } catch {
    // Whether it is a URL at all is for the caller's other checks to say.
    return true;
  }
}

/** The scheme of `value` (lower case, without the colon) when it starts with one, e.g. `ftp` for `ftp://host/`. */
export function schemeOf(value: string): string | undefined {
  return /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
}

/**
 * A refinement for a URL field that takes http and https only: another scheme is refused as `url_scheme_not_allowed`
 * (naming it in `params.scheme`), text without a scheme as `invalid_url` — both with `message`.
 */
export function httpOrHttps(message: string) {
  return (value: string, ctx: z.RefinementCtx) => {
    if (/^https?:\/\//i.test(value)) return;
    const scheme = schemeOf(value);
    const refused = scheme !== undefined && scheme !== "http" && scheme !== "https" ? scheme : undefined;
    const reason: FieldReason = refused ? "url_scheme_not_allowed" : "invalid_url";
    ctx.addIssue({ code: "custom", message, params: refused ? { reason, scheme: refused } : { reason } });
  };
}
