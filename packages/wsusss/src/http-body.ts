// Reading a SOAP request body off a Node HTTP request, for the server half: at most maxBytes are kept (a larger body
// is refused as soon as it passes the limit, or at once when Content-Length announces it, and the rest is discarded
// as it arrives, never buffered), no Content-Encoding is undone (no decompression bomb), and a body that stalls is
// given up after timeoutMs. Never rejects: a body that cannot be taken is a RequestBody with ok false, which the
// server answers with a SOAP fault.
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";

/** Longest request body accepted (4 MiB, ASP.NET's default maxRequestLength, which WSUS runs under). */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Longest wait for a whole request body. */
export const DEFAULT_REQUEST_BODY_TIMEOUT_MS = 60_000;

export type RequestBody =
  | { ok: true; bytes: Buffer }
  | {
      ok: false;
      /** What was wrong, for the fault's Message. */
      reason: string;
      /** The body was not read to its end: answer with `Connection: close`. */
      closeConnection: boolean;
    };

export interface ReadRequestBodyOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

export function readRequestBody(
  request: Readable & { headers: IncomingHttpHeaders },
  options: ReadRequestBodyOptions = {},
): Promise<RequestBody> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_REQUEST_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_BODY_TIMEOUT_MS;
  const encoding = String(request.headers["content-encoding"] ?? "identity")
    .trim()
    .toLowerCase();
  const refuse = (reason: string): Promise<RequestBody> => {
    // Whatever is still coming is read and dropped; the answer closes the connection.
    request.resume();
    return Promise.resolve({ ok: false, reason, closeConnection: true });
  };
  if (encoding !== "identity" && encoding !== "") {
    return refuse(`Content-Encoding ${encoding} is not accepted: send the request uncompressed`);
  }
  const announced = Number(request.headers["content-length"]);
  if (Number.isFinite(announced) && announced > maxBytes) {
    return refuse(`request body is larger than ${maxBytes} bytes (Content-Length ${announced})`);
  }
  return new Promise<RequestBody>((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const finish = (body: RequestBody) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", onEnd);
      if (!body.ok) {
        chunks.length = 0;
        request.resume();
      }
      resolve(body);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      total += bytes.length;
      if (total > maxBytes) {
        finish({ ok: false, reason: `request body is larger than ${maxBytes} bytes`, closeConnection: true });
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => finish({ ok: true, bytes: Buffer.concat(chunks) });
    const timer = setTimeout(
      () => finish({ ok: false, reason: `request body not received within ${timeoutMs} ms`, closeConnection: true }),
      timeoutMs,
    );
    timer.unref?.();
    request.on("data", onData);
    request.on("end", onEnd);
    // An aborted or failed upload: there is no one left to answer, but the promise still settles.
    request.on("error", (err: Error) =>
      finish({ ok: false, reason: `request body could not be read: ${err.message}`, closeConnection: true }),
    );
    request.once("close", () =>
      finish({ ok: false, reason: "the connection closed before the request body ended", closeConnection: true }),
    );
  });
}
