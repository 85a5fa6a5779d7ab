import express from "express";
import { describe, expect, it } from "vitest";
import type { Logger } from "../logger.ts";
import { errorHandler } from "./error-handler.ts";

/** An app whose one route throws `error`, answering through the error handler. */
async function answerTo(
  error: unknown,
): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
  const logged: unknown[] = [];
  const app = express();
  app.get("/", () => {
    throw error;
  });
  app.use(errorHandler({ error: (entry: unknown) => logged.push(entry) } as unknown as Logger));
  const server = app.listen(0);
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return { status: response.status, body: (await response.json()) as never };
  } finally {
    server.close();
  }
}

const libraryError = (status: number, message: string, type?: string) =>
  Object.assign(new Error(message), { status, statusCode: status, expose: true, ...(type ? { type } : {}) });

describe("the error handler", () => {
  it("keeps the status of the libraries' client errors, in the envelope, without their text", async () => {
    expect(await answerTo(libraryError(400, "Failed to decode param '%E0%A4%A'"))).toMatchObject({
      status: 400,
      body: { error: { code: "VALIDATION_FAILED", message: "params: the URL path is not valid percent-encoding." } },
    });
    expect(await answerTo(libraryError(404, "ENOENT: /srv/dist/assets/x.js"))).toMatchObject({
      status: 404,
      body: { error: { code: "NOT_FOUND", message: "No such resource." } },
    });
    expect(await answerTo(libraryError(405, "Method Not Allowed"))).toMatchObject({
      status: 405,
      body: { error: { code: "METHOD_NOT_ALLOWED" } },
    });
    expect(await answerTo(libraryError(400, "request aborted", "request.aborted"))).toMatchObject({
      status: 400,
      body: { error: { code: "BAD_REQUEST" } },
    });
    expect(await answerTo(libraryError(413, "too many parameters", "parameters.too.many"))).toMatchObject({
      status: 413,
      body: { error: { code: "PAYLOAD_TOO_LARGE" } },
    });
  });

  it("turns anything else into a 500 that says nothing of the fault", async () => {
    const answer = await answerTo(new Error("secret detail at /srv/app.ts:12:3"));
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe("INTERNAL_ERROR");
    expect(JSON.stringify(answer.body)).not.toContain("secret detail");
    expect((await answerTo(libraryError(503, "upstream"))).status).toBe(500);
    expect((await answerTo("a string")).status).toBe(500);
  });
});
