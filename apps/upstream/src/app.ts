// The embedded upstream update service — the stand-in for Microsoft Update: MS-WSUSSS on the real endpoints, served
// by the server half of @syncpoint/wsusss from a generated catalog, plus an admin API for tests and demos.
import { randomBytes } from "node:crypto";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { z } from "zod";
import { createWsusssServer, parseDigestFilter, type RequestBody, type ServerSyncConfig } from "@syncpoint/wsusss";
import type { CatalogStore } from "./catalog/store.ts";
import { applyFaults, faultingServer } from "./fault-responses.ts";
import { FaultInjector, FaultRequest, operationOf } from "./faults.ts";

export interface UpstreamOptions {
  store: CatalogStore;
  faults?: FaultInjector;
  adminToken?: string;
  cookieSecret?: string;
}

/** Limits and languages as an on-prem WSUS 2025 reports them (capture 000005). */
export function upstreamConfig(store: CatalogStore): ServerSyncConfig {
  return {
    protocolVersion: "1.20",
    maxNumberOfUpdatesPerRequest: 100,
    catalogOnlySync: false,
    lazySync: true,
    serverHostsPsfFiles: false,
    maxNumberOfDriverSetsPerRequest: 0,
    maxNumberOfComputerIdsInRequest: 0,
    maxNumberOfPnpHardwareIdsInRequest: 0,
    maxUpdatesPerRequestInGetUpdateDecryptionData: 100,
    newConfigAnchor: store.anchor(),
    languages: [
      { id: 0, shortLanguage: "all", longLanguage: "All Languages", enabled: true },
      { id: 1033, shortLanguage: "en", longLanguage: "English", enabled: true },
      { id: 1031, shortLanguage: "de", longLanguage: "German", enabled: true },
      { id: 1053, shortLanguage: "sv", longLanguage: "Swedish", enabled: true },
      { id: 1043, shortLanguage: "nl", longLanguage: "Dutch", enabled: true },
      { id: 1040, shortLanguage: "it", longLanguage: "Italian", enabled: true },
      { id: 2052, shortLanguage: "zh-cn", longLanguage: "Chinese (Simplified)", enabled: true },
    ],
  };
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

export function createUpstreamApp(options: UpstreamOptions): Express {
  const { store } = options;
  const app = express();
  app.disable("x-powered-by");

  const cookieSecret = options.cookieSecret ?? randomBytes(32).toString("hex");
  const soap = createWsusssServer({
    backend: {
      config: () => upstreamConfig(store),
      revisionIdList: (filter) => store.revisionIdList(filter),
      updateXml: (ids) => store.updateXml(ids),
    },
    cookieSecret,
  });
  const faults = options.faults ?? new FaultInjector();
  const handlers = {
    "/ServerSyncWebService/ServerSyncWebService.asmx": soap.handleServerSync,
    "/DssAuthWebService/DssAuthWebService.asmx": soap.handleDssAuth,
  };
  for (const [endpoint, handleSoap] of Object.entries(handlers)) {
    app.post(endpoint, async (req, res) => {
      // Read by the server half within its limits (size while streaming, no Content-Encoding); refusals are faults.
      const body = await soap.readBody(req);
      const soapAction = req.get("soapaction");
      const contentType = req.get("content-type");
      const handle = (b: RequestBody, action?: string) => handleSoap(b, { soapAction: action, contentType });
      const fired = faults.draw(operationOf(soapAction));
      await applyFaults(fired, {
        body,
        soapAction,
        handle,
        res,
        req,
        faultServer: (code) => faultingServer(code, cookieSecret),
      });
    });
  }

  app.get("/health", (_req, res) => {
    res.json({ status: "ok", period: store.currentPeriod });
  });

  const admin = express.Router();
  admin.use((req: Request, res: Response, next: NextFunction) => {
    const allowed = options.adminToken
      ? req.get("authorization") === `Bearer ${options.adminToken}`
      : LOOPBACK.has(req.socket.remoteAddress ?? "");
    if (!allowed) {
      res.status(options.adminToken ? 401 : 403).json({
        error: {
          code: "FORBIDDEN",
          message: options.adminToken
            ? "Send Authorization: Bearer $UPSTREAM_ADMIN_TOKEN."
            : "The admin API answers loopback callers only (set UPSTREAM_ADMIN_TOKEN to allow others).",
        },
      });
      return;
    }
    next();
  });
  admin.get("/stats", (_req, res) => {
    res.json(store.stats());
  });
  admin.get("/digest", (req, res) => {
    try {
      res.json(store.digest(parseDigestFilter(req.query as Record<string, string>)));
    } catch (error) {
      res.status(400).json({ error: { code: "VALIDATION_FAILED", message: (error as Error).message } });
    }
  });
  admin.post("/advance", express.json(), (req, res) => {
    const parsed = z.object({ periods: z.number().int().min(1).max(120).default(1) }).safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400).json({ error: { code: "VALIDATION_FAILED", message: "body.periods: 1–120" } });
      return;
    }
    res.json(store.advance(parsed.data.periods));
  });
  admin.post("/faults", express.json(), (req, res) => {
    const parsed = FaultRequest.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res
        .status(400)
        .json({ error: { code: "VALIDATION_FAILED", message: `body.${issue?.path.join(".")}: ${issue?.message}` } });
      return;
    }
    res.status(201).json({ id: faults.add(parsed.data).id });
  });
  admin.get("/faults", (_req, res) => {
    res.json({ items: faults.list() });
  });
  admin.delete("/faults{/:id}", (req, res) => {
    const found = faults.remove(req.params.id);
    res.status(found ? 204 : 404).end();
  });
  app.use("/admin", admin);

  // The Microsoft Update Catalog's search, for Import Updates (catalog-only updates included).
  app.get("/catalog/search", (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q : "";
    if (q.trim().length === 0 || q.length > 200) {
      res.status(400).json({
        error: {
          code: "VALIDATION_FAILED",
          message: "query.q: a KB number, an update id or title words (1–200 characters)",
        },
      });
      return;
    }
    res.json({ items: store.search(q) });
  });
  return app;
}
