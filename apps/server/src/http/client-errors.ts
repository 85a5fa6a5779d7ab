// Requests Node's HTTP parser refuses before Express sees them — headers or a URL over the 16 KB limit (431), a
// malformed request line or header (400), a request that took too long to arrive (408) — still get the error envelope
// and the security headers, instead of Node's bare status line.
import type { Server as HttpServer } from "node:http";
import type { Server as HttpsServer } from "node:https";
import type { Duplex } from "node:stream";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
};

function statusOf(code: string | undefined): number {
  if (code === "HPE_HEADER_OVERFLOW") return 431;
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") return 408;
  return 400;
}

export function answerClientErrors(server: HttpServer | HttpsServer): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    // A response already under way on this connection (keep-alive) cannot be followed by another: just close.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const status = statusOf(error.code);
    const message =
      status === 431
        ? "The request's URL or headers are too large."
        : status === 408
          ? "The request did not arrive in time."
          : "The request could not be understood.";
    const body = JSON.stringify({ error: { code: "BAD_REQUEST", message } });
    socket.end(
      [
        `HTTP/1.1 ${status} ${REASONS[status]}`,
        "Content-Type: application/json; charset=utf-8",
        `Content-Length: ${Buffer.byteLength(body)}`,
        "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        "Referrer-Policy: no-referrer",
        "Cache-Control: no-store",
        "Connection: close",
        "",
        body,
      ].join("\r\n"),
    );
  });
}
