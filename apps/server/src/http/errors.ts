import type { ErrorCode, FieldError } from "@syncpoint/contracts";
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

/** A zod failure as a 400 that names the offending field(s). */
export function validationError(where: "body" | "query" | "params", error: z.ZodError): HttpError {
  const fields: FieldError[] = error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
  const first = fields[0];
  const message = first ? `${first.field}: ${first.message}` : `The request ${where} is not valid.`;
  return new HttpError(400, "VALIDATION_FAILED", message, { fields });
}
