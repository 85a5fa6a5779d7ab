import express, { type Express } from "express";

/**
 * The embedded upstream update service. For now it answers its health check; the MS-WSUSSS endpoints, the generated
 * catalog and the admin API arrive with the first-sync and upstream issues.
 */
export function createUpstreamApp(): Express {
  const app = express();
  app.disable("x-powered-by");
  app.get("/health", (_req, res) => {
    res.json({ status: "ok" });
  });
  return app;
}
