import { existsSync } from "node:fs";
import path from "node:path";
import cookieParser from "cookie-parser";
import express, { type Express } from "express";
import type { AppContext } from "./context.ts";
import { errorHandler } from "./http/error-handler.ts";
import { HttpError } from "./http/errors.ts";
import { csrfGuardFor, rawBodyTypes, requestId, authenticate } from "./http/middleware.ts";
import { mountRoutes, type RouteSpec } from "./http/route.ts";
import { noStore, securityHeaders } from "./http/security-headers.ts";
import { serverTiming } from "./http/server-timing.ts";
import { metricsEndpoint, observeHttp } from "./observability/metrics.ts";
import { mountSupEndpoints } from "./sup-endpoint/routes.ts";

export const JSON_BODY_LIMIT = "1mb";

/** The HTTP application of one process: /api with the given routes, and the built console for everything else. */
export function createApp(
  ctx: AppContext,
  routes: readonly RouteSpec[],
  options: { serveConsole: boolean; serveSupEndpoints?: boolean },
): Express {
  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, req.ip and req.secure come from X-Forwarded-*; only loopback proxies are trusted.
  app.set("trust proxy", "loopback");
  // First, so that every answer carries them: console files, API answers and errors, SOAP, /metrics, 404s.
  app.use(securityHeaders());
  app.use(requestId);
  app.use(observeHttp(ctx));
  app.get("/metrics", metricsEndpoint(ctx));

  const api = express.Router();
  api.use(serverTiming);
  api.use(noStore);
  // Not for an upload's route (a raw body, streamed by its handler), whatever type a client declares.
  const rawBody = rawBodyTypes(routes);
  api.use(
    express.json({
      limit: JSON_BODY_LIMIT,
      strict: true,
      type: (req) => !rawBody(req as express.Request) && Boolean((req as express.Request).is("application/json")),
    }),
  );
  api.use(cookieParser());
  api.use(csrfGuardFor(routes));
  api.use(authenticate(ctx));
  mountRoutes(api, routes, ctx);
  api.use((req, _res, next) => next(new HttpError(404, "NOT_FOUND", `No API route ${req.method} ${req.path}.`)));
  api.use(errorHandler(ctx.logger));
  app.use("/api", api);
  if (options.serveSupEndpoints ?? options.serveConsole) mountSupEndpoints(app, ctx);

  if (options.serveConsole) mountConsole(app, ctx);
  // Whatever nothing above answered (a POST outside /api, any path on a process without the console).
  app.use((req, _res, next) => next(new HttpError(404, "NOT_FOUND", `No such resource: ${req.method} ${req.path}.`)));
  app.use(errorHandler(ctx.logger));
  return app;
}

function mountConsole(app: Express, ctx: AppContext): void {
  const dist = ctx.config.CONSOLE_DIST;
  const index = path.join(dist, "index.html");
  if (!existsSync(index)) {
    ctx.logger.warn(
      { dist },
      "the console is not built; run `pnpm start` (which builds it) or `pnpm --filter @syncpoint/console build`",
    );
    app.get("/{*splat}", (_req, res) => {
      res.status(503).type("text/plain").send("The Syncpoint console is not built. Run `pnpm start`, which builds it.");
    });
    return;
  }
  // Hashed assets never change; index.html must always be revalidated so a new build is picked up.
  const assets = express.static(path.join(dist, "assets"), { immutable: true, maxAge: "1y", fallthrough: false });
  // A missing asset is a 404 in the error envelope (serve-static's error, see http/error-handler.ts); anything but a
  // read is a 405 in it too, rather than serve-static's bare one.
  app.use("/assets", (req, res, next) =>
    req.method === "GET" || req.method === "HEAD"
      ? assets(req, res, next)
      : next(new HttpError(405, "METHOD_NOT_ALLOWED", "The console's files can only be read.")),
  );
  app.use(express.static(dist, { index: false, maxAge: 0 }));
  app.get("/{*splat}", (_req, res) => {
    res.setHeader("Cache-Control", "no-cache");
    res.sendFile(index);
  });
}
