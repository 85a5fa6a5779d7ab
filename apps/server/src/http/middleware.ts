import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { AppContext } from "../context.ts";
import { runWithRequestContext } from "../request-context.ts";
import { SESSION_COOKIE, resolveSession } from "../services/sessions.ts";
import { resolveApiToken } from "../services/tokens.ts";
import { HttpError } from "./errors.ts";
import { setPrincipal } from "./principal.ts";
import type { RouteSpec } from "./route.ts";

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
 * CSRF rules (DESIGN.md, "Security defaults"): a cross-site form can only POST, with a simple content type, so a POST
 * must be JSON (even an empty one: `{}`), and so must any other mutation that carries a body (PUT, PATCH and DELETE
 * cannot be sent cross-site at all without a CORS preflight we never grant). An Origin, when present, must be ours.
 * A route that declares a raw body (an upload) may also be sent with one of its media types: none is a type a
 * cross-site form can send (text/plain, form encodings), and a cross-site fetch with one needs that same preflight.
 */
export function csrfGuardFor(routes: readonly Pick<RouteSpec, "method" | "path" | "rawBody">[]) {
  const rawTypesOf = rawBodyTypes(routes);
  return (req: Request, _res: Response, next: NextFunction): void => {
    // Browsers never attach a bearer token on their own, so such requests cannot be forged cross-site.
    if (!MUTATING.has(req.method) || req.get("authorization") !== undefined) return next();
    const hasBody =
      req.get("content-length") !== undefined
        ? req.get("content-length") !== "0"
        : req.get("transfer-encoding") !== undefined;
    const rawTypes = rawTypesOf(req);
    const rawBody = rawTypes !== undefined && Boolean(req.is([...rawTypes]));
    if ((req.method === "POST" || hasBody) && !req.is("application/json") && !rawBody) {
      const expected = rawTypes ? rawTypes[0]! : "application/json";
      return next(new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", `Send the request body as ${expected}.`));
    }
    checkOrigin(req, next);
  };
}

/** The media types of the raw body a request's route declares (an upload), if it declares one. */
export function rawBodyTypes(
  routes: readonly Pick<RouteSpec, "method" | "path" | "rawBody">[],
): (req: Request) => readonly string[] | undefined {
  const raw = new Map(
    routes.filter((r) => r.rawBody).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.rawBody!.mediaTypes]),
  );
  return (req) => raw.get(`${req.method} ${req.path}`);
}

function checkOrigin(req: Request, next: NextFunction): void {
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

/**
 * Resolves the caller into a principal for the route layer. A bearer token must be valid (a script with a revoked
 * token should hear so, not be treated as anonymous); an unknown or expired session cookie is simply no session.
 */
export function authenticate(ctx: AppContext) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const authorization = req.get("authorization");
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        const principal = match ? await resolveApiToken(ctx, match[1]!) : undefined;
        if (!principal) {
          throw new HttpError(
            401,
            "INVALID_TOKEN",
            "The API token is unknown, revoked or expired (send Authorization: Bearer <token>).",
          );
        }
        setPrincipal(res, principal);
        return next();
      }
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
