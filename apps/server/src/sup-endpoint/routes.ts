// /sup/<SITE>/ServerSyncWebService/ServerSyncWebService.asmx and …/DssAuthWebService/DssAuthWebService.asmx: SOAP
// 1.1 as the captures show it, exempt from sessions, CSRF and the JSON envelope. Whatever a client sends gets a SOAP
// answer: the body is read by the wsusss server half within its limits (4 MiB, streamed, refused past the limit
// without buffering the rest, no Content-Encoding, strict UTF-8), and anything that goes wrong — hostile XML, a
// body too large, even a failing database — is a SOAP fault (HTTP 500), never an HTML or JSON error page.
import type { Express, Request, Response } from "express";
import {
  createWsusssServer,
  DSS_AUTH_PATH,
  SERVER_SYNC_PATH,
  soapFaultAnswer,
  type WsusssHttpAnswer,
  type WsusssServer,
} from "@syncpoint/wsusss";
import type { AppContext } from "../context.ts";
import { siteBackend, supCookieSecret } from "./backend.ts";

export function mountSupEndpoints(app: Express, ctx: AppContext): void {
  const secret = supCookieSecret(ctx);
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
  const siteOf = async (code: string) => {
    const upper = code.toUpperCase();
    if (!/^[A-Z0-9]{3}$/.test(upper)) return undefined;
    // Every SOAP call asks: `pg` directly, as the backend's statements (backend.ts).
    const { rows } = await ctx.pool.query<{ code: string }>("SELECT code FROM sites WHERE code = $1", [upper]);
    return rows[0]?.code;
  };
  const send = (res: Response, answer: WsusssHttpAnswer) => {
    if (res.headersSent || res.destroyed) return;
    if (answer.closeConnection) res.set("Connection", "close");
    res.status(answer.status).type(answer.contentType).send(answer.body);
  };

  const endpoint =
    (path: string, handle: (server: WsusssServer) => WsusssServer["handleServerSync"]) =>
    async (req: Request, res: Response) => {
      try {
        const site = await siteOf(String(req.params.site));
        if (!site) {
          req.resume(); // the body is not wanted; drop it as it arrives
          res.set("Connection", "close").status(404).type("text/plain").send("No such site.");
          return;
        }
        const server = serverFor(site);
        const body = await server.readBody(req);
        send(
          res,
          await handle(server)(body, { soapAction: req.get("soapaction"), contentType: req.get("content-type") }),
        );
      } catch (err) {
        // The server half never throws; this is the endpoint's own failure (the site lookup's database, say).
        ctx.logger.error({ err, path: req.path }, "SUP endpoint failed");
        req.resume();
        send(res, {
          ...soapFaultAnswer({ errorCode: "InternalServerError", actor: `/${path}` }),
          closeConnection: true,
        });
      }
    };

  app.post(
    `/sup/:site/${SERVER_SYNC_PATH}`,
    endpoint(SERVER_SYNC_PATH, (s) => s.handleServerSync),
  );
  app.post(
    `/sup/:site/${DSS_AUTH_PATH}`,
    endpoint(DSS_AUTH_PATH, (s) => s.handleDssAuth),
  );
}
