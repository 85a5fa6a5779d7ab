import express from "express";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AppContext } from "../context.ts";
import {
  assertRoutesDeclared,
  authorize,
  defineRoute,
  findUnstorableText,
  mountRoutes,
  type RouteSpec,
} from "./route.ts";
import type { Principal } from "./principal.ts";

const route = (over: Partial<RouteSpec>): RouteSpec =>
  defineRoute({
    method: "get",
    path: "/x",
    access: "public",
    summary: "x",
    handler: () => undefined,
    ...over,
  } as RouteSpec);

describe("the route registry", () => {
  it("refuses to mount a route that declares no access rule", () => {
    const undeclared = route({ access: undefined as unknown as "public" });
    expect(() => assertRoutesDeclared([undeclared])).toThrow("Route GET /x declares no access rule");
    expect(() => mountRoutes(express.Router(), [undeclared], {} as AppContext)).toThrow(/declares no access rule/);
  });

  it("refuses a mutating route without an audit action", () => {
    expect(() => assertRoutesDeclared([route({ method: "post" })])).toThrow(
      "Route POST /x changes state but declares no audit action",
    );
    expect(() => assertRoutesDeclared([route({ method: "delete", audit: { action: "Bad Action" } })])).toThrow(
      /no audit action/,
    );
  });

  it("refuses the same method and path twice", () => {
    expect(() => assertRoutesDeclared([route({}), route({})])).toThrow("Route GET /x is registered twice.");
  });

  it("accepts distinct declared routes", () => {
    expect(() =>
      assertRoutesDeclared([
        route({}),
        route({ method: "post", audit: { action: "thing.create" } }),
        route({ path: "/y", access: "sync.run" }),
      ]),
    ).not.toThrow();
  });
});

describe("authorize", () => {
  const analyst: Principal = {
    userId: "u",
    username: "ann",
    role: "read-only-analyst",
    permissions: ["read"],
    mustChangePassword: false,
    locale: "en-US",
    authMethod: "session",
  };

  it("lets anyone through a public route", () =>
    expect(() => authorize({ access: "public" }, undefined)).not.toThrow());
  it("asks for sign-in (401) when there is no principal", () =>
    expect(() => authorize({ access: "authenticated" }, undefined)).toThrow(
      expect.objectContaining({ status: 401, code: "UNAUTHENTICATED" }),
    ));
  it("forbids (403) a permission the role lacks, naming both", () =>
    expect(() => authorize({ access: "sync.run" }, analyst)).toThrow(
      expect.objectContaining({ status: 403, code: "FORBIDDEN", message: expect.stringContaining("needs sync.run") }),
    ));
  it("allows a permission the role has", () => expect(() => authorize({ access: "read" }, analyst)).not.toThrow());

  it("holds a session that must change its password to the routes that allow it", () => {
    const pending = { ...analyst, mustChangePassword: true };
    expect(() => authorize({ access: "read" }, pending)).toThrow(
      expect.objectContaining({ status: 403, code: "PASSWORD_CHANGE_REQUIRED" }),
    );
    expect(() => authorize({ access: "authenticated", allowDuringPasswordChange: true }, pending)).not.toThrow();
    // Automation keeps working: a token is not a person at a sign-in screen.
    expect(() => authorize({ access: "read" }, { ...pending, authMethod: "token" })).not.toThrow();
  });
});

describe("validation", () => {
  it("parses query parameters with the route's schema", async () => {
    const app = express();
    const router = express.Router();
    mountRoutes(
      router,
      [
        defineRoute({
          method: "get",
          path: "/echo",
          access: "public",
          summary: "echo",
          query: z.object({ n: z.coerce.number().int().min(1) }),
          handler: ({ query }) => ({ body: query }),
        }),
      ],
      {} as AppContext,
    );
    app.use(router);
    app.use(
      (
        error: { status: number; message: string },
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => res.status(error.status).json({ message: error.message }),
    );
    const server = app.listen(0);
    const { port } = server.address() as { port: number };
    try {
      const ok = await fetch(`http://127.0.0.1:${port}/echo?n=3`);
      expect(await ok.json()).toEqual({ n: 3 });
      const bad = await fetch(`http://127.0.0.1:${port}/echo?n=0`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/^query\.n: /);
    } finally {
      server.close();
    }
  });
});

describe("text the database cannot store", () => {
  it("finds a NUL or an unpaired surrogate in values and keys, and says where", () => {
    expect(findUnstorableText({ a: ["ok", { b: "x\u0000y" }] })).toEqual(["a", 1, "b"]);
    expect(findUnstorableText({ a: "\ud800" })).toEqual(["a"]);
    expect(findUnstorableText({ a: "x\udc00" })).toEqual(["a"]);
    expect(findUnstorableText({ "k\u0000": 1 })).toEqual(["k\u0000"]);
    expect(findUnstorableText("\u0000")).toEqual([]);
    expect(findUnstorableText({ a: "😀 ß İ", b: [1, null, true] })).toBeUndefined();
  });

  it("walks deeply nested input without recursion", () => {
    let deep: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toHaveLength(100_000);
  });
});
