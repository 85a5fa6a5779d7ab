import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.ts";
import { fieldError, HttpError } from "./errors.ts";

/** What body-parser, serve-static and the router throw: http-errors with a status and, for the parser, a type. */
interface LibraryError {
  type?: string;
  status?: number;
  statusCode?: number;
  message?: string;
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
  const library = (typeof error === "object" && error !== null ? error : {}) as LibraryError;
  switch (library.type) {
    case "entity.too.large":
    case "parameters.too.many":
      return new HttpError(413, "PAYLOAD_TOO_LARGE", "The request body is too large.");
    case "entity.parse.failed":
      return fieldError("body", "the JSON is malformed", "malformed_json", undefined, {
        summary: "body: the JSON is malformed.",
      });
    case "encoding.unsupported":
    case "charset.unsupported":
      return new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as UTF-8 JSON.");
  }
  // Other client errors the libraries raise (a path that is not valid percent-encoding, a missing console file, a
  // POST to a static file, an aborted upload) keep their status; their messages are the library's, so not passed on.
  const status = library.status ?? library.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return clientError(status, library.message);
  return new HttpError(
    500,
    "INTERNAL_ERROR",
    "Something went wrong on the server; the request id identifies it in the server log.",
  );
}

function clientError(status: number, message: string | undefined): HttpError {
  switch (status) {
    case 404:
      return new HttpError(404, "NOT_FOUND", "No such resource.");
    case 405:
      return new HttpError(405, "METHOD_NOT_ALLOWED", "This resource does not accept that method.");
    case 413:
      return new HttpError(413, "PAYLOAD_TOO_LARGE", "The request is too large.");
    case 415:
      return new HttpError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request body as application/json.");
  }
  if (status === 400 && message?.startsWith("Failed to decode param")) {
    return fieldError("params", "the URL path is not valid percent-encoding", "bad_percent_encoding", undefined, {
      summary: "params: the URL path is not valid percent-encoding.",
    });
  }
  return new HttpError(status, "BAD_REQUEST", "The request could not be understood.");
}
