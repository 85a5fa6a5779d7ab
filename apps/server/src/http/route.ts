// One mechanism for every API route: each declares who may call it, the zod schemas of what it accepts, and — if it
// changes anything — the audit action it records. The registry applies authentication, authorization, validation,
// auditing and the error envelope uniformly. A route without an access rule, or a mutating route without an audit
// action, stops the server at boot instead of silently being open or unaudited.
import type { ErrorCode, Permission } from "@syncpoint/contracts";
import type { NextFunction, Request, Response, Router } from "express";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import { currentRequestId } from "../request-context.ts";
import { AuditScope, recordAudit } from "../services/audit.ts";
import { fieldError, HttpError, validationError } from "./errors.ts";
import { principalOf, type Principal } from "./principal.ts";

/** `public`: anyone; `authenticated`: any signed-in user; a permission: users whose role grants it. */
export type Access = "public" | "authenticated" | Permission;

export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
  /** This request's audit record (routes that declare `audit`); add target, before/after, details. */
  audit: AuditScope;
  req: Request;
  res: Response;
  ctx: AppContext;
}

/** What a handler returns: JSON with a status (200 by default), or nothing for 204. */
export type HandlerResult = { status?: number; body: unknown } | undefined;

export interface RouteSpec<
  B extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  P extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express path below /api, e.g. `/auth/login`. */
  path: string;
  access: Access;
  summary: string;
  /** The audit action (`area.verb`), required for every mutating route. */
  audit?: { action: string };
  /** Reachable while the signed-in user must still change a generated password (sign-out, the change itself). */
  allowDuringPasswordChange?: boolean;
  body?: B;
  /**
   * A body that is not JSON (an upload): the handler reads `req` as a stream. Its media types pass the CSRF guard
   * (none is one a cross-site form can send); the JSON body parser never reads them.
   */
  rawBody?: { mediaTypes: readonly [string, ...string[]]; description: string };
  query?: Q;
  params?: P;
  /** The response schema, for the API reference and to catch accidental leaks in tests. */
  response?: z.ZodType;
  handler: (input: HandlerInput<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<HandlerResult> | HandlerResult;
}

export function defineRoute<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType>(
  spec: RouteSpec<B, Q, P>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

const ACCESS_CHECK = /^(public|authenticated|[a-z]+(\.[a-z]+)*)$/;
const AUDIT_ACTION = /^[a-z][a-z-]*(\.[a-z][a-z-]*)+$/;

export const routeKey = (route: Pick<RouteSpec, "method" | "path">) => `${route.method.toUpperCase()} ${route.path}`;

/** Throws when a route lacks an access rule, a mutating route lacks an audit action, or a route is registered twice. */
export function assertRoutesDeclared(routes: readonly RouteSpec[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = routeKey(route);
    if (typeof route.access !== "string" || !ACCESS_CHECK.test(route.access)) {
      throw new Error(`Route ${key} declares no access rule; every route must say who may call it.`);
    }
    if (route.method !== "get" && !(route.audit && AUDIT_ACTION.test(route.audit.action))) {
      throw new Error(
        `Route ${key} changes state but declares no audit action (e.g. audit: { action: "user.create" }).`,
      );
    }
    if (seen.has(key)) throw new Error(`Route ${key} is registered twice.`);
    seen.add(key);
  }
}

export function authorize(
  route: Pick<RouteSpec, "access" | "allowDuringPasswordChange">,
  principal: Principal | undefined,
): void {
  const { access } = route;
  if (access === "public") return;
  if (!principal) throw new HttpError(401, "UNAUTHENTICATED", "Sign in to continue.");
  if (principal.mustChangePassword && principal.authMethod === "session" && !route.allowDuringPasswordChange) {
    throw new HttpError(403, "PASSWORD_CHANGE_REQUIRED", "Change your password before doing anything else.");
  }
  if (access === "authenticated") return;
  if (!principal.permissions.includes(access)) {
    throw new HttpError(
      403,
      "FORBIDDEN",
      `Your role (${principal.role}) does not allow this action (needs ${access}).`,
    );
  }
}

export function mountRoutes(router: Router, routes: readonly RouteSpec[], ctx: AppContext): void {
  assertRoutesDeclared(routes);
  for (const route of routes) {
    router[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      const principal = principalOf(res);
      const audit = new AuditScope(route.audit?.action ?? "", principal);
      try {
        authorize(route, principal);
        const body = parse(route.body, req.body ?? {}, "body");
        const query = parse(route.query, req.query, "query");
        const params = parse(route.params, req.params, "params");
        const result = await route.handler({ body, query, params, principal, audit, req, res, ctx });
        if (route.audit) await recordAudit(ctx, audit.toRecord("success", undefined, requestMeta(req)));
        if (res.headersSent) return;
        if (result === undefined) res.status(204).end();
        else res.status(result.status ?? 200).json(result.body);
      } catch (error) {
        if (route.audit) {
          const code: ErrorCode = error instanceof HttpError ? error.code : "INTERNAL_ERROR";
          await recordAudit(ctx, audit.toRecord("failure", code, requestMeta(req))).catch((auditError: unknown) =>
            ctx.logger.error({ err: auditError }, "could not write the audit record"),
          );
        }
        next(error);
      }
    });
  }
}

function requestMeta(req: Request) {
  return { sourceAddress: req.ip, userAgent: req.get("user-agent"), requestId: currentRequestId() };
}

function parse(schema: z.ZodType | undefined, value: unknown, where: "body" | "query" | "params"): unknown {
  if (!schema) return value;
  const unstorable = findUnstorableText(value);
  if (unstorable) {
    const field = [where, ...unstorable].join(".");
    const message = "text must not contain NUL characters or unpaired UTF-16 surrogates";
    throw fieldError(field, message, "unstorable_text");
  }
  // With the input on each issue, a missing field is told from a wrong one (FieldReason `required`).
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}

/** A NUL character or a lone surrogate: PostgreSQL text and jsonb cannot hold either (a NUL fails the statement). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first string (value or key) in `value` that the database could not store, if any. */
export function findUnstorableText(value: unknown): (string | number)[] | undefined {
  // Iterative, and each entry points at its parent instead of copying a path: a body may nest as deep as the JSON
  // parser allows.
  interface Entry {
    value: unknown;
    key?: string | number;
    parent?: Entry;
  }
  const pathOf = (entry: Entry, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let at: Entry | undefined = entry; at?.key !== undefined; at = at.parent) path.unshift(at.key);
    return path;
  };
  const stack: Entry[] = [{ value }];
  while (stack.length > 0) {
    const entry = stack.pop()!;
    const current = entry.value;
    if (typeof current === "string") {
      if (UNSTORABLE.test(current)) return pathOf(entry);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => stack.push({ value: item, key: index, parent: entry }));
    } else if (current !== null && typeof current === "object") {
      for (const [key, item] of Object.entries(current)) {
        if (UNSTORABLE.test(key)) return pathOf(entry, key);
        stack.push({ value: item, key, parent: entry });
      }
    }
  }
  return undefined;
}
