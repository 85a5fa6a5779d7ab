// GET /api/openapi.json: a valid OpenAPI 3.1 document (checked by @readme/openapi-parser against the 3.1 schema and
// its own rules: unique operationIds, path parameters declared, …) that lists every registered route exactly once —
// enumerated from the registry, so a new route is covered the day it is added.
import { compileErrors, validate } from "@readme/openapi-parser";
import {
  pathParameterNames,
  toOpenApiPath,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
} from "@syncpoint/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { appVersion } from "../src/data-dir-version.ts";
import { routeKey } from "../src/http/route.ts";
import { API_BASE_PATH, openApiDocument } from "../src/openapi/document.ts";
import { apiRoutes } from "../src/routes/index.ts";
import { startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
let document: OpenApiDocument;
let response: Response;

beforeAll(async () => {
  // Built before the server starts, so the first request does not hold up the event loop for the build.
  openApiDocument(apiRoutes);
  server = await startTestServer({ seed: false });
  response = await fetch(`${server.url}/api/openapi.json`);
  document = (await response.json()) as OpenApiDocument;
});
afterAll(async () => {
  await adapterListening();
  await server.close();
});

/**
 * The socket.io Postgres adapter takes its LISTEN connection from the pool shortly after the server starts; closed
 * before it has, it never returns that connection and the pool never ends. This file is quick enough to close first:
 * wait until the adapter listens.
 */
async function adapterListening(): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 10_000) {
    const { rows } = await server.ctx.pool.query<{ listening: number }>(
      "SELECT count(*)::int AS listening FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'",
    );
    if (rows[0]!.listening > 0) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The adapter keeps the connection once its LISTEN has answered: one more turn.
  await new Promise((resolve) => setTimeout(resolve, 50));
}

const operations = () =>
  Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      key: `${method.toUpperCase()} ${path}`,
      operation: operation as OpenApiOperation,
    })),
  );
const documentKey = (route: (typeof apiRoutes)[number]) =>
  `${route.method.toUpperCase()} ${API_BASE_PATH}${toOpenApiPath(route.path)}`;
const operationOf = (route: (typeof apiRoutes)[number]) =>
  document.paths[`${API_BASE_PATH}${toOpenApiPath(route.path)}`]?.[route.method];

/** A schema with its component reference followed. */
const resolve = (schema: JsonSchema | undefined): JsonSchema | undefined => {
  const name = schema?.$ref?.replace("#/components/schemas/", "");
  return name === undefined ? schema : resolve(document.components.schemas[name]);
};

describe("GET /api/openapi.json", () => {
  it("answers anyone with JSON", () => {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    // validate() dereferences what it is given: a copy keeps `document` as served.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it("names the application and its version", () => {
    expect(document.info.title).toBe("Syncpoint API");
    expect(document.info.version).toBe(appVersion());
  });

  it("is the document built from the registry, built once", () => {
    expect(openApiDocument(apiRoutes)).toBe(openApiDocument(apiRoutes));
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument(apiRoutes))));
  });

  it("lists every registered route exactly once, and nothing else", () => {
    const listed = operations().map((o) => o.key);
    const registered = apiRoutes.map(documentKey);
    expect(new Set(registered).size).toBe(apiRoutes.length);
    expect(listed.sort()).toEqual(registered.sort());
    expect(registered).toContain("GET /api/openapi.json");
  });

  describe.each(apiRoutes.map((route) => [routeKey(route), route] as const))("%s", (_key, route) => {
    it("has the route's summary, access, tag and security", () => {
      const operation = operationOf(route)!;
      expect(operation.summary).toBe(route.summary);
      expect(operation["x-syncpoint-access"]).toBe(route.access);
      expect(operation.tags).toHaveLength(1);
      expect(document.tags.map((tag) => tag.name)).toContain(operation.tags[0]);
      if (route.access === "public") expect(operation.security).toEqual([]);
      else expect(operation.security).toBeUndefined();
      expect(operation["x-syncpoint-audit-action"]).toBe(route.audit?.action);
    });

    it("declares its parameters and its request body", () => {
      const operation = operationOf(route)!;
      const parameters = operation.parameters ?? [];
      expect(parameters.filter((p) => p.in === "path").map((p) => p.name)).toEqual(pathParameterNames(route.path));
      const queryNames = route.query
        ? Object.keys((z.toJSONSchema(route.query, { io: "input" }) as JsonSchema).properties ?? {})
        : [];
      expect(parameters.filter((p) => p.in === "query").map((p) => p.name)).toEqual(queryNames);
      if (route.body) {
        const schema = resolve(operation.requestBody?.content["application/json"]?.schema);
        // An object with its fields, or a choice of objects (a discriminated union).
        const fields =
          schema?.properties ?? (schema?.oneOf ?? schema?.anyOf)?.map((branch) => resolve(branch)?.properties);
        expect(fields, "the request body's fields").toBeDefined();
      } else if (route.rawBody) {
        // An upload: the body is the file itself, in one of its media types.
        expect(Object.keys(operation.requestBody?.content ?? {})).toEqual(route.rawBody.mediaTypes);
        expect(operation.requestBody?.required).toBe(true);
      } else {
        expect(operation.requestBody).toBeUndefined();
      }
    });

    it("declares its answers, errors in the shared envelope", () => {
      const operation = operationOf(route)!;
      const success = Object.keys(operation.responses).filter((status) => /^2\d\d$/.test(status));
      expect(success).toHaveLength(1);
      if (route.response) {
        const answer = operation.responses[success[0]!] as { content?: Record<string, { schema: JsonSchema }> };
        expect(answer.content?.["application/json"]?.schema).toBeDefined();
      }
      expect(operation.responses.default).toEqual({ $ref: "#/components/responses/Error" });
      if (route.access !== "public") {
        expect(operation.responses["401"]).toEqual({ $ref: "#/components/responses/Unauthenticated" });
      }
    });
  });

  it("describes the session cookie and API tokens", () => {
    expect(document.components.securitySchemes).toEqual({
      sessionCookie: expect.objectContaining({ type: "apiKey", in: "cookie", name: "syncpoint_session" }),
      apiToken: expect.objectContaining({ type: "http", scheme: "bearer" }),
    });
    expect(document.security).toEqual([{ sessionCookie: [] }, { apiToken: [] }]);
  });

  it("spells out the query parameters of a list", () => {
    const list = document.paths["/api/sync-runs"]!.get!;
    expect(list.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(["page", "pageSize", "sort", "site"]));
    const sync = document.paths["/api/sync"]!.post!;
    expect(Object.keys(sync.responses)).toEqual(expect.arrayContaining(["202", "409"]));
    expect(resolve(sync.requestBody?.content["application/json"]?.schema)?.properties).toHaveProperty("fullSync");
  });
});
