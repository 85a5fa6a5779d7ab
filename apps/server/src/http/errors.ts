import { FieldReason, type ErrorCode, type FieldError, type FieldParams } from "@syncpoint/contracts";
import type { z } from "zod";

/** An error the client can act on: it becomes `{ error: { code, message, details } }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new HttpError(404, "NOT_FOUND", `${what} was not found.`);

/**
 * A 400 VALIDATION_FAILED (or `code`) naming one field: `message` in English, `reason` and `params` for a client to
 * word it in its own language.
 */
export function fieldError(
  field: string,
  message: string,
  reason: FieldReason,
  params?: FieldParams,
  options: { status?: number; code?: ErrorCode; summary?: string } = {},
): HttpError {
  return new HttpError(
    options.status ?? 400,
    options.code ?? "VALIDATION_FAILED",
    options.summary ?? `${field}: ${message}`,
    { fields: [{ field, message, code: reason, ...(params ? { params } : {}) }] },
  );
}

/** A zod failure as a 400 that names the offending field(s). */
export function validationError(where: "body" | "query" | "params", error: z.ZodError): HttpError {
  const fields: FieldError[] = error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
    ...issueReason(issue),
  }));
  const first = fields[0];
  const message = first ? `${first.field}: ${first.message}` : `The request ${where} is not valid.`;
  return new HttpError(400, "VALIDATION_FAILED", message, { fields });
}

/** Where a limit is a number a client can show (zod reports bigint and Date limits too; those are not sent). */
const limit = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const withLimit = (code: FieldReason, name: string, value: unknown): Pick<FieldError, "code" | "params"> => {
  const n = limit(value);
  return n === undefined ? { code } : { code, params: { [name]: n } };
};

/**
 * The FieldReason (and params) of one zod issue: a refinement that names its reason (contracts' `withReason`, or an
 * issue with `params.reason`) keeps it; otherwise the issue's kind maps to a generic reason. Run the schema with
 * `reportInput` so that a missing field (input undefined) reads as `required`.
 */
export function issueReason(issue: z.ZodError["issues"][number]): Pick<FieldError, "code" | "params"> {
  switch (issue.code) {
    case "custom": {
      const { reason, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
      const parsed = FieldReason.safeParse(reason);
      if (!parsed.success) return { code: "invalid" };
      const params = Object.fromEntries(
        Object.entries(rest).filter(([, v]) => typeof v === "string" || typeof v === "number"),
      ) as FieldParams;
      return Object.keys(params).length > 0 ? { code: parsed.data, params } : { code: parsed.data };
    }
    case "invalid_type":
      if ("input" in issue && issue.input === undefined) return { code: "required" };
      if (issue.expected === "never") return { code: "read_only" };
      if (issue.expected === "int") return { code: "not_integer" };
      return { code: "invalid_type", params: { expected: issue.expected } };
    case "too_small": {
      if (issue.exact && issue.origin !== "string") return withLimit("wrong_count", "count", issue.minimum);
      if (!(issue.inclusive ?? true)) return { code: "invalid" };
      switch (issue.origin) {
        case "string":
          return issue.minimum === 1 && !issue.exact
            ? { code: "required" }
            : withLimit("too_short", "min", issue.minimum);
        case "array":
        case "set":
          return withLimit("too_few", "min", issue.minimum);
        case "number":
        case "int":
          return withLimit("too_small", "min", issue.minimum);
        default:
          return { code: "invalid" };
      }
    }
    case "too_big": {
      if (issue.exact && issue.origin !== "string") return withLimit("wrong_count", "count", issue.maximum);
      if (!(issue.inclusive ?? true)) return { code: "invalid" };
      switch (issue.origin) {
        case "string":
          return withLimit("too_long", "max", issue.maximum);
        case "array":
        case "set":
          return withLimit("too_many", "max", issue.maximum);
        case "number":
        case "int":
          return withLimit("too_big", "max", issue.maximum);
        default:
          return { code: "invalid" };
      }
    }
    case "invalid_format":
      switch (issue.format) {
        case "email":
          return { code: "invalid_email" };
        case "url":
          return { code: "invalid_url" };
        case "uuid":
        case "guid":
          return { code: "invalid_uuid" };
        case "datetime":
        case "date":
          return { code: "invalid_datetime" };
        default:
          return { code: "invalid_format" };
      }
    case "invalid_value":
      return { code: "invalid_value", params: { values: issue.values.map(String).join(", ") } };
    case "invalid_union": {
      // A discriminated union whose discriminator matched no option names the values it takes.
      const options = (issue as { options?: unknown }).options;
      return Array.isArray(options)
        ? { code: "invalid_value", params: { values: options.map(String).join(", ") } }
        : { code: "invalid" };
    }
    case "unrecognized_keys":
      return { code: "unknown_field", params: { keys: issue.keys.join(", ") } };
    default:
      return { code: "invalid" };
  }
}
