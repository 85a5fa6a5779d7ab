import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  buildOpenApiDocument,
  operationIdOf,
  pathParameterNames,
  rolesFor,
  toOpenApiPath,
  type OpenApiOptions,
  type OpenApiRoute,
} from "./openapi.ts";

describe("toOpenApiPath", () => {
  it("turns Express parameters into OpenAPI templates", () => {
    expect(toOpenApiPath("/health")).toBe("/health");
    expect(toOpenApiPath("/sites/:code")).toBe("/sites/{code}");
    expect(toOpenApiPath("/sites/:code/catalog/digest")).toBe("/sites/{code}/catalog/digest");
    expect(toOpenApiPath("/sync-runs/:id/log")).toBe("/sync-runs/{id}/log");
    expect(toOpenApiPath("/software-updates/export.csv")).toBe("/software-updates/export.csv");
    expect(toOpenApiPath("/files/:name.:ext")).toBe("/files/{name}.{ext}");
    expect(toOpenApiPath('/things/:"thing-id"')).toBe("/things/{thing-id}");
  });

  it("refuses what OpenAPI paths cannot say", () => {
    expect(() => toOpenApiPath("/files/*rest")).toThrow(/wildcards/);
    expect(() => toOpenApiPath("/sites{/:code}")).toThrow(/optional/);
    expect(() => toOpenApiPath("sites")).toThrow(/starts with/);
    expect(() => toOpenApiPath("/a/:")).toThrow(/starts no parameter/);
  });

  it("lists the path parameters in order", () => {
    expect(pathParameterNames("/sites/:code/runs/:id")).toEqual(["code", "id"]);
    expect(pathParameterNames("/health")).toEqual([]);
  });
});

describe("operationIdOf", () => {
  it("names an operation by its method and path", () => {
    expect(operationIdOf({ method: "get", path: "/sync-runs/:id/log" })).toBe("getSyncRunsByIdLog");
    expect(operationIdOf({ method: "post", path: "/sync" })).toBe("postSync");
    expect(operationIdOf({ method: "get", path: "/software-updates/export.csv" })).toBe("getSoftwareUpdatesExportCsv");
  });
});

describe("rolesFor", () => {
  it("admits every role to public and signed-in routes, and the permission's roles otherwise", () => {
    expect(rolesFor("public")).toHaveLength(3);
    expect(rolesFor("authenticated")).toHaveLength(3);
    expect(rolesFor("users.manage")).toEqual(["full-administrator"]);
    expect(rolesFor("sync.run")).toEqual(["full-administrator", "software-update-manager"]);
  });
});

describe("buildOpenApiDocument", () => {
  const Thing = z.object({ id: z.string(), count: z.number().int(), tags: z.array(z.string()).default([]) });
  const route = (over: Partial<OpenApiRoute>): OpenApiRoute => ({
    method: "get",
    path: "/things",
    access: "read",
    summary: "Things.",
    ...over,
  });
  const options = (routes: OpenApiRoute[], extra: Partial<OpenApiOptions> = {}): OpenApiOptions => ({
    routes,
    title: "Test",
    version: "1.2.3",
    description: "A test.",
    basePath: "/api",
    sessionCookie: "session",
    tags: [{ name: "Things", description: "Things.", prefixes: ["/things"] }],
    schemaNames: { Thing },
    ...extra,
  });

  it("describes parameters, bodies, answers and access from the schemas", () => {
    const doc = buildOpenApiDocument(
      options([
        route({ query: z.object({ page: z.coerce.number().int().default(1), q: z.string() }), response: Thing }),
        route({
          method: "post",
          access: "public",
          body: Thing,
          response: Thing,
          audit: { action: "thing.create" },
        }),
        route({ method: "delete", path: "/things/:id", params: z.object({ id: z.uuid() }) }),
      ]),
    );
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.version).toBe("1.2.3");
    const list = doc.paths["/api/things"]!.get!;
    expect(list.parameters?.map((p) => [p.name, p.in, p.required])).toEqual([
      ["page", "query", false],
      ["q", "query", true],
    ]);
    expect(list.responses["200"]).toEqual({
      description: "OK.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
    });
    expect(list["x-syncpoint-access"]).toBe("read");
    expect(list.security).toBeUndefined();
    expect(Object.keys(list.responses)).toEqual(["200", "400", "401", "403", "default"]);

    const create = doc.paths["/api/things"]!.post!;
    expect(create.security).toEqual([]);
    expect(create["x-syncpoint-audit-action"]).toBe("thing.create");
    expect(create.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/ThingInput" } } },
    });
    // A default makes a field optional on the way in and present on the way out: two components.
    expect(doc.components.schemas.ThingInput?.required).toEqual(["id", "count"]);
    expect(doc.components.schemas.Thing?.required).toEqual(["id", "count", "tags"]);
    // Responses stay open to new fields; the safe-integer bounds of .int() are left out.
    expect(doc.components.schemas.Thing?.additionalProperties).toBeUndefined();
    expect(doc.components.schemas.Thing?.properties?.count).toEqual({ type: "integer" });

    const remove = doc.paths["/api/things/{id}"]!.delete!;
    expect(remove.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "string", format: "uuid" }) },
    ]);
    expect(Object.keys(remove.responses)).toEqual(["204", "400", "401", "403", "404", "default"]);
  });

  it("documents every error code in the shared envelope", () => {
    const doc = buildOpenApiDocument(options([route({})]));
    const codes = doc.components.schemas.ErrorCode?.anyOf ?? [];
    expect(codes.find((c) => c.const === "SYNC_ALREADY_ACTIVE")?.description).toMatch(/already queued or running/);
    expect(codes.at(-1)).toEqual({ type: "string", description: "A code added after this document was written." });
    expect(doc.components.responses.Error?.content?.["application/json"]?.schema).toEqual({
      $ref: "#/components/schemas/ErrorEnvelope",
    });
  });

  it("takes notes on statuses, media types and conflicts, and refuses notes for unknown routes", () => {
    const doc = buildOpenApiDocument(
      options([route({ method: "post", response: Thing }), route({ path: "/things/export.csv" })], {
        notes: {
          "POST /things": { status: 201, errors: { 409: ["SITE_CODE_TAKEN"] } },
          "GET /things/export.csv": { media: { type: "text/csv", description: "CSV." } },
        },
      }),
    );
    const create = doc.paths["/api/things"]!.post!;
    expect(Object.keys(create.responses)).toContain("201");
    expect(create.responses["409"]).toMatchObject({ description: expect.stringContaining("SITE_CODE_TAKEN") });
    expect(doc.paths["/api/things/export.csv"]!.get!.responses["200"]).toEqual({
      description: "CSV.",
      content: { "text/csv": { schema: { type: "string" } } },
    });
    expect(() => buildOpenApiDocument(options([route({})], { notes: { "GET /nothing": { status: 201 } } }))).toThrow(
      /GET \/nothing, which is not a route/,
    );
  });

  it("refuses params the path does not have", () => {
    expect(() => buildOpenApiDocument(options([route({ params: z.object({ id: z.string() }) })]))).toThrow(
      /params.id is not in the path/,
    );
  });

  it("documents a value JSON Schema cannot express as any value, saying why", () => {
    const doc = buildOpenApiDocument(
      options([route({ response: z.object({ at: z.date(), n: z.string().transform((s) => s.length) }) })]),
    );
    const schema = (doc.paths["/api/things"]!.get!.responses["200"] as { content: Record<string, { schema: object }> })
      .content["application/json"]!.schema as { properties: Record<string, { description: string }> };
    expect(schema.properties.at!.description).toMatch(/^Any value: Date cannot be represented/);
    expect(schema.properties.n!.description).toMatch(/^Any value: Transforms cannot be represented/);
  });

  it("groups an untagged area under its first path segment", () => {
    const doc = buildOpenApiDocument(options([route({ path: "/widgets" })]));
    expect(doc.paths["/api/widgets"]!.get!.tags).toEqual(["widgets"]);
    expect(doc.tags).toEqual([{ name: "widgets", description: "widgets" }]);
  });
});
