import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { AppContext } from "../context.ts";
import { runWithRequestContext } from "../request-context.ts";
import { SESSION_COOKIE, resolveSession } from "../services/sessions.ts";
import { HttpError } from "./errors.ts";
import { setPrincipal } from "./principal.ts";

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (the caller's X-Request-Id when sane), echoed back and attached to every log line. */
export function requestId(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.get("x-request-id");
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader("X-Request-Id", id);
  runWithRequestContext({ requestId: id }, next);
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF rules (DESIGN.md, "Security defaults"): a browser can only send a cross-site request with a simple content type,
 * and it always names its origin; so mutations must be JSON, and an Origin present must be ours.
 */
export function csrfGuard(req: Request, _res: Response, next: NextFunction): void {
  if (!MUTATING.has(req.method) || req.get("authorization")?.startsWith("Bearer ")) return next();
  if (!req.is("application/json")) {
    return next(new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json."));
  }
  const origin = req.get("origin");
  if (origin !== undefined) {
    const host = req.get("host");
    let same = false;
    try {
      same = new URL(origin).host === host;
    } catch {
      same = false;
    }
    if (!same) return next(new HttpError(403, "FORBIDDEN", "Cross-origin requests are not accepted."));
  }
  next();
}

/** Resolves the session cookie into a principal for the route layer; an unknown or expired cookie is simply no session. */
export function sessionResolver(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
      if (token) {
        const principal = await resolveSession(ctx, token);
        if (principal) setPrincipal(res, principal);
      }
      next();
    } catch (error) {
      next(error);
    }
  };
}
