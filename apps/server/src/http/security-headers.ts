// Security headers on every response of the HTTP application — the console's files, the API (answers, errors, 404s),
// the SUP SOAP endpoints and /metrics — through helmet:
// - a Content-Security-Policy without inline scripts: the built console loads only its own files (`script-src 'self'`,
//   `style-src 'self'`: React sets `style` props through the CSSOM, which CSP does not govern, and the build emits no
//   inline <style> or style attributes); `img-src data:` for the SVG icons inlined in the CSS; `connect-src` the
//   origin itself and its WebSocket twin for socket.io; `frame-ancestors 'none'` (and X-Frame-Options: DENY) so that
//   no site can frame the console; no 'unsafe-eval' either (the console runs zod without its eval-compiled parsers:
//   apps/console/src/zod-jitless.ts). e2e/tests/12-csp.spec.ts loads every page in Chromium under this policy;
// - nosniff, Referrer-Policy: no-referrer, same-origin opener and resource policies;
// - Strict-Transport-Security only when the request arrived over HTTPS — the SUP TLS port, or a TLS-terminating
//   proxy on loopback whose X-Forwarded-Proto says so (`trust proxy` in app.ts): HSTS over plain HTTP is meaningless
//   and, on a default `http://localhost:8080` installation, would only confuse browsers.
import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import helmet from "helmet";

/** 180 days; without includeSubDomains, since an on-premises host name says nothing about its siblings. */
export const HSTS_MAX_AGE_SECONDS = 15_552_000;

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * socket.io's WebSocket on the page's own host. CSP Level 3 lets 'self' match ws(s) of the same host, but browsers
 * before that do not; naming it costs nothing. A host that is not a plain host[:port] adds nothing.
 */
function webSocketSources(req: Request): string {
  // Express's `host` honours X-Forwarded-Host from a trusted (loopback) proxy: the host the browser sees.
  const host = req.host;
  return host && HOST.test(host) ? `ws://${host} wss://${host}` : "";
}

export function securityHeaders(): RequestHandler[] {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", (req) => webSocketSources(req as Request)],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: "no-referrer" },
    xFrameOptions: { action: "deny" },
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
  }) as RequestHandler;
  const hsts = helmet.strictTransportSecurity({ maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false });
  const httpsOnly = (req: Request, res: Response, next: NextFunction) => (req.secure ? hsts(req, res, next) : next());
  return [headers, httpsOnly];
}

/** API answers are per user and often sensitive: no cache may keep them (a handler may still say otherwise). */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Cache-Control", "no-store");
  next();
}

const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/;

/** What Express's `req.secure` says under `trust proxy: loopback`, for requests Express never sees (socket.io's). */
export function arrivedOverHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  if (!LOOPBACK.test(req.socket.remoteAddress ?? "")) return false;
  const forwarded = req.headers["x-forwarded-proto"];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return proto === "https";
}

/**
 * socket.io's engine answers /socket.io/ on the HTTP server before Express does: its polling answers and the
 * WebSocket handshake get the headers that apply to a non-document answer (engine.io's "headers" event).
 */
export function addSocketHeaders(headers: Record<string, string>, req: IncomingMessage): void {
  headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'";
  headers["X-Content-Type-Options"] = "nosniff";
  headers["X-Frame-Options"] = "DENY";
  headers["Referrer-Policy"] = "no-referrer";
  headers["Cross-Origin-Resource-Policy"] = "same-origin";
  if (arrivedOverHttps(req)) headers["Strict-Transport-Security"] = `max-age=${HSTS_MAX_AGE_SECONDS}`;
}
