import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.ts";
import { HttpError } from "./errors.ts";

interface BodyParserError {
  type?: string;
  status?: number;
}

/** Turns anything thrown into the error envelope; only genuine server faults become 500s, and those hide their detail. */
export function errorHandler(logger: Logger) {
  return (error: unknown, _req: Request, res: Response, _next: NextFunction): void => {
    const http = toHttpError(error);
    if (http.status >= 500) logger.error({ err: error }, "request failed");
    if (res.headersSent) return;
    res.status(http.status).json({
      error: {
        code: http.code,
        message: http.message,
        ...(http.details === undefined ? {} : { details: http.details }),
      },
    });
  };
}

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case "entity.too.large":
      return new HttpError(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
    case "entity.parse.failed":
      return new HttpError(400, "VALIDATION_FAILED", "body: the JSON is malformed.", {
        fields: [{ field: "body", message: "the JSON is malformed" }],
      });
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as UTF-8 JSON.");
    default:
      return new HttpError(
        500,
        "INTERNAL_ERROR",
        "Something went wrong on the server; the request id identifies it in the server log.",
      );
  }
}
