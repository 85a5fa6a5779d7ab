// One mechanism for every API route: each declares who may call it and the zod schemas of what it accepts; the
// registry applies authentication, authorization, validation and the error envelope uniformly. A route without an
// access declaration stops the server at boot instead of silently being open.
import type { Permission } from "@syncpoint/contracts";
import type { NextFunction, Request, Response, Router } from "express";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import { HttpError, validationError } from "./errors.ts";
import { principalOf, type Principal } from "./principal.ts";

/** `public`: anyone; `authenticated`: any signed-in user; a permission: users whose role grants it. */
export type Access = "public" | "authenticated" | Permission;

export type Method = "get" | "post" | "put" | "patch" | "delete";

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  principal: Principal | undefined;
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
  body?: B;
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

/** Throws when a route lacks an access declaration or two routes claim the same method and path. */
export function assertRoutesDeclared(routes: readonly RouteSpec[]): void {
  const seen = new Set<string>();
  for (const route of routes) {
    const key = `${route.method.toUpperCase()} ${route.path}`;
    if (typeof route.access !== "string" || !ACCESS_CHECK.test(route.access)) {
      throw new Error(`Route ${key} declares no access rule; every route must say who may call it.`);
    }
    if (seen.has(key)) throw new Error(`Route ${key} is registered twice.`);
    seen.add(key);
  }
}

export function authorize(access: Access, principal: Principal | undefined): void {
  if (access === "public") return;
  if (!principal) throw new HttpError(401, "UNAUTHENTICATED", "Sign in to continue.");
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
      try {
        const principal = principalOf(res);
        authorize(route.access, principal);
        const body = parse(route.body, req.body ?? {}, "body");
        const query = parse(route.query, req.query, "query");
        const params = parse(route.params, req.params, "params");
        const result = await route.handler({ body, query, params, principal, req, res, ctx });
        if (res.headersSent) return;
        if (result === undefined) res.status(204).end();
        else res.status(result.status ?? 200).json(result.body);
      } catch (error) {
        next(error);
      }
    });
  }
}

function parse(schema: z.ZodType | undefined, value: unknown, where: "body" | "query" | "params"): unknown {
  if (!schema) return value;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(where, result.error);
  return result.data;
}
