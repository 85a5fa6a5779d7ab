// A 400's fields carry a reason code (FieldReason) and params besides the English message, so that a client can word
// the refusal in its language: zod's issue kinds map to generic reasons, refinements that name theirs keep them.
import {
  CreateNotificationSubscriptionRequest,
  CreateSiteRequest,
  FieldError,
  FieldReason,
  UpdateSiteRequest,
  UpdateSupSettingsRequest,
} from "@syncpoint/contracts";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { fieldError, HttpError, validationError } from "./errors.ts";

/** The fields a body answers, parsed as the routes parse (with the input on each issue). */
function fieldsOf(schema: z.ZodType, body: unknown): FieldError[] {
  const result = schema.safeParse(body, { reportInput: true });
  if (result.success) throw new Error("the body was accepted");
  const error = validationError("body", result.error);
  const { fields } = error.details as { fields: FieldError[] };
  for (const field of fields) expect(FieldError.parse(field)).toEqual(field);
  return fields;
}
const first = (schema: z.ZodType, body: unknown) => fieldsOf(schema, body)[0];

describe("validationError", () => {
  it("maps zod's issue kinds to generic reasons, with the limits as params", () => {
    const schema = z
      .object({
        name: z.string().trim().min(1, "enter a name").max(5),
        secret: z.string().min(16),
        count: z.number().int().min(1).max(10),
        tags: z.array(z.string()).min(1).max(2),
        one: z.array(z.string()).length(1),
        kind: z.enum(["email", "webhook"]),
        mail: z.email(),
        url: z.string().url(),
        id: z.string().uuid(),
        at: z.string().datetime(),
        time: z.string().regex(/^\d\d:\d\d$/),
        flag: z.boolean(),
      })
      .partial()
      .strict();
    const reasons = (body: unknown) =>
      fieldsOf(schema, body).map(({ field, code, params }) => ({ field, code, params }));
    expect(
      reasons({
        name: "",
        secret: "short",
        count: 2.5,
        tags: [],
        one: ["a", "b"],
        kind: "sms",
        mail: "nobody",
        url: "not a url",
        id: "x",
        at: "yesterday",
        time: "noon",
        flag: "yes",
        extra: 1,
      }),
    ).toEqual([
      { field: "body.name", code: "required", params: undefined },
      { field: "body.secret", code: "too_short", params: { min: 16 } },
      { field: "body.count", code: "not_integer", params: undefined },
      { field: "body.tags", code: "too_few", params: { min: 1 } },
      { field: "body.one", code: "wrong_count", params: { count: 1 } },
      { field: "body.kind", code: "invalid_value", params: { values: "email, webhook" } },
      { field: "body.mail", code: "invalid_email", params: undefined },
      { field: "body.url", code: "invalid_url", params: undefined },
      { field: "body.id", code: "invalid_uuid", params: undefined },
      { field: "body.at", code: "invalid_datetime", params: undefined },
      { field: "body.time", code: "invalid_format", params: undefined },
      { field: "body.flag", code: "invalid_type", params: { expected: "boolean" } },
      { field: "body", code: "unknown_field", params: { keys: "extra" } },
    ]);
    expect(reasons({ name: "toolong", count: 11, tags: ["a", "b", "c"] })).toEqual([
      { field: "body.name", code: "too_long", params: { max: 5 } },
      { field: "body.count", code: "too_big", params: { max: 10 } },
      { field: "body.tags", code: "too_many", params: { max: 2 } },
    ]);
    expect(reasons({ count: 0 })).toEqual([{ field: "body.count", code: "too_small", params: { min: 1 } }]);
  });

  it("says required for a missing field, and keeps the English message", () => {
    expect(first(z.object({ name: z.string().min(1, "enter a name") }), {})).toEqual({
      field: "body.name",
      message: expect.stringContaining("expected string"),
      code: "required",
    });
    expect(first(z.object({ name: z.string().min(1, "enter a name") }), { name: "" })).toEqual({
      field: "body.name",
      message: "enter a name",
      code: "required",
    });
  });

  it("keeps the reason a contract's refinement names, with its params", () => {
    expect(first(UpdateSupSettingsRequest, { upstreamCaBundle: "not a certificate" })).toMatchObject({
      field: "body.upstreamCaBundle",
      code: "ca_bundle_not_pem",
    });
    expect(first(UpdateSupSettingsRequest, { upstreamUrl: "http://user:pw@wsus.example/" })).toMatchObject({
      field: "body.upstreamUrl",
      code: "url_has_credentials",
      message: "the URL must not contain a user name or password",
    });
    expect(first(UpdateSupSettingsRequest, { proxy: { url: "ftp://proxy.example/" } })).toMatchObject({
      field: "body.proxy.url",
      code: "url_scheme_not_allowed",
      params: { scheme: "ftp" },
    });
    expect(first(UpdateSupSettingsRequest, {})).toMatchObject({ field: "body", code: "nothing_to_change" });
    expect(
      first(UpdateSupSettingsRequest, { schedule: { kind: "simple", every: 40, unit: "hours", timeZone: "UTC" } }),
    ).toMatchObject({ field: "body.schedule.every", code: "out_of_range", params: { min: 1, max: 23, unit: "hours" } });
    expect(
      first(UpdateSupSettingsRequest, {
        schedule: { kind: "simple", every: 2, unit: "days", timeZone: "Mars/Olympus" },
      }),
    ).toMatchObject({ field: "body.schedule.timeZone", code: "unknown_time_zone" });
    expect(
      first(CreateNotificationSubscriptionRequest, {
        kind: "webhook",
        name: "hook",
        targets: ["https://u:p@hooks.example/x"],
        events: ["sync-failed"],
      }),
    ).toMatchObject({ field: "body.targets.0", code: "url_has_credentials" });
    expect(
      first(CreateNotificationSubscriptionRequest, {
        kind: "email",
        name: "mail",
        targets: ["not-an-address"],
        events: ["sync-failed"],
      }),
    ).toMatchObject({ field: "body.targets.0", code: "invalid_email" });
    expect(first(CreateNotificationSubscriptionRequest, { kind: "sms" })).toMatchObject({
      field: "body.kind",
      code: "invalid_value",
      params: { values: "email, webhook" },
    });
    expect(
      first(CreateSiteRequest, {
        code: "P77",
        name: "P77",
        type: "primary",
        parentCode: "CAS",
        sup: { serverName: "p77.example", port: 8530, sslPort: 8530 },
      }),
    ).toMatchObject({ field: "body.sup.sslPort", code: "ports_must_differ" });
    expect(first(UpdateSiteRequest, { code: "P99" })).toMatchObject({ field: "body.code", code: "read_only" });
  });

  it("takes a refinement's reason only when it is one, and its params only when they are words or numbers", () => {
    const schema = z.object({
      a: z.string().refine(() => false, { error: "no", params: { reason: "not_a_reason" } }),
      b: z.string().refine(() => false, { error: "no", params: { reason: "too_long", max: 3, deep: { x: 1 } } }),
    });
    expect(fieldsOf(schema, { a: "", b: "" }).map(({ code, params }) => ({ code, params }))).toEqual([
      { code: "invalid", params: undefined },
      { code: "too_long", params: { max: 3 } },
    ]);
  });
});

describe("fieldError", () => {
  it("answers one field with its reason, in the envelope's shape", () => {
    const error = fieldError("body.upstreamUrl", "only http and https URLs are allowed", "url_scheme_not_allowed", {
      scheme: "ftp",
    });
    expect(error).toBeInstanceOf(HttpError);
    expect(error).toMatchObject({
      status: 400,
      code: "VALIDATION_FAILED",
      message: "body.upstreamUrl: only http and https URLs are allowed",
      details: {
        fields: [
          {
            field: "body.upstreamUrl",
            message: "only http and https URLs are allowed",
            code: "url_scheme_not_allowed",
            params: { scheme: "ftp" },
          },
        ],
      },
    });
  });

  it("documents every reason it can send", () => {
    for (const reason of FieldReason.options) expect(reason).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});
