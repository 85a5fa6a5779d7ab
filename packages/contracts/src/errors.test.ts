// Issue #10: a 400's field carries a machine-readable reason (FieldReason) and params besides its English message; the
// wire shape only gains fields, and the OpenAPI document lists every reason with its meaning, the list kept open.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { FIELD_REASONS, FieldError, FieldReason, withReason } from "./errors.ts";
import { buildOpenApiDocument } from "./openapi.ts";

describe("FieldError", () => {
  it("still takes a field and a message alone, and now a reason with its params", () => {
    expect(FieldError.parse({ field: "body.name", message: "enter a name" })).toEqual({
      field: "body.name",
      message: "enter a name",
    });
    const refused = {
      field: "body.upstreamUrl",
      message: "only http and https URLs are allowed",
      code: "url_scheme_not_allowed",
      params: { scheme: "ftp" },
    };
    expect(FieldError.parse(refused)).toEqual(refused);
    expect(FieldError.safeParse({ ...refused, params: { scheme: { nested: true } } }).success).toBe(false);
  });

  it("has stable lower_snake reasons, each with its meaning", () => {
    expect(FieldReason.options).toEqual(Object.keys(FIELD_REASONS));
    for (const [reason, meaning] of Object.entries(FIELD_REASONS)) {
      expect(reason).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(meaning.length).toBeGreaterThan(10);
    }
  });

  it("lets a refinement name its reason for the server to read back", () => {
    const result = z
      .string()
      .refine(() => false, withReason("ca_bundle_not_pem", "not PEM", { limit: 3 }))
      .safeParse("x");
    expect(result.error?.issues[0]).toMatchObject({
      code: "custom",
      message: "not PEM",
      params: { reason: "ca_bundle_not_pem", limit: 3 },
    });
  });
});

describe("the OpenAPI document", () => {
  it("documents each field reason, open to reasons added later", () => {
    const doc = buildOpenApiDocument({
      routes: [{ method: "get", path: "/things", access: "read", summary: "Things." }],
      title: "Test",
      version: "1",
      description: "A test.",
      basePath: "/api",
      sessionCookie: "session",
      tags: [{ name: "Things", description: "Things.", prefixes: ["/things"] }],
    });
    const reasons = doc.components.schemas.FieldReason?.anyOf ?? [];
    expect(reasons.find((r) => r.const === "url_host_not_allowed")?.description).toMatch(/UPSTREAM_ALLOWED_HOSTS/);
    expect(reasons.filter((r) => r.const !== undefined)).toHaveLength(Object.keys(FIELD_REASONS).length);
    expect(reasons.at(-1)).toMatchObject({ type: "string" });
    const field = doc.components.schemas.FieldError;
    expect(field?.required).toEqual(["field", "message"]);
    expect(Object.keys(field?.properties ?? {})).toEqual(["field", "message", "code", "params"]);
  });
});
