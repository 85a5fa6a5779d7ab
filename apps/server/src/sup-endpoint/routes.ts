// /sup/<SITE>/ServerSyncWebService/ServerSyncWebService.asmx and …/DssAuthWebService/DssAuthWebService.asmx: SOAP
// 1.1 as the captures show it, exempt from sessions, CSRF and the JSON envelope; malformed input gets a SOAP fault.
import express, { type Express } from "express";
import { createWsusssServer, type WsusssServer } from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { siteBackend, supCookieSecret } from "./backend.ts";

export function mountSupEndpoints(app: Express, ctx: AppContext): void {
  const secret = supCookieSecret();
  const servers = new Map<string, WsusssServer>();
  const serverFor = (site: string) => {
    let server = servers.get(site);
    if (!server) {
      server = createWsusssServer({
        backend: siteBackend(ctx, site),
        cookieSecret: secret,
        onError: (err) => ctx.logger.error({ err, site }, "SUP endpoint failed"),
      });
      servers.set(site, server);
    }
    return server;
  };
  const body = express.text({ type: () => true, limit: "10mb" });
  const siteOf = async (code: string) => {
    const upper = code.toUpperCase();
    if (!/^[A-Z0-9]{3}$/.test(upper)) return undefined;
    return (await ctx.prisma.site.findUnique({ where: { code: upper }, select: { code: true } }))?.code;
  };
  app.post("/sup/:site/ServerSyncWebService/ServerSyncWebService.asmx", body, async (req, res) => {
    const site = await siteOf(String(req.params.site));
    if (!site) return void res.status(404).type("text/plain").send("No such site.");
    const answer = await serverFor(site).handleServerSync(typeof req.body === "string" ? req.body : "", {
      soapAction: req.get("soapaction"),
    });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
  app.post("/sup/:site/DssAuthWebService/DssAuthWebService.asmx", body, async (req, res) => {
    const site = await siteOf(String(req.params.site));
    if (!site) return void res.status(404).type("text/plain").send("No such site.");
    const answer = await serverFor(site).handleDssAuth(typeof req.body === "string" ? req.body : "", {
      soapAction: req.get("soapaction"),
    });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  });
}
