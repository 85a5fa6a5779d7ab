// How each injected fault turns into what the downstream server sees on the wire.
import type { Request, Response } from "express";
import {
  createWsusssServer,
  decodeEntities,
  escapeText,
  hostileXml,
  WsusssFault,
  type HostileXmlAttack,
  type RequestBody,
  type WsusssHttpAnswer,
} from "@syncpoint/wsusss";
import type { Fault } from "./faults.ts";

type Handle = (body: RequestBody, soapAction?: string) => Promise<WsusssHttpAnswer>;

/** A server half whose every backend call throws the given fault code: the easiest way to produce a real fault. */
export function faultingServer(errorCode: string, cookieSecret: string) {
  const fail = (): never => {
    throw new WsusssFault(errorCode, errorCode === "InvalidParameters" ? "filter" : "injected fault");
  };
  return createWsusssServer({
    backend: { authorize: fail, config: fail, revisionIdList: fail, updateXml: fail },
    cookieSecret,
  });
}

/** Replaces the cookie's signed data with garbage, so the real server answers with its own InvalidCookie fault. */
function breakCookie(body: string): string {
  return body.replace(/<EncryptedData>[^<]*<\/EncryptedData>/g, "<EncryptedData>AAAA</EncryptedData>");
}

/** Corrupts the first update document of a GetUpdateData answer (its XmlUpdateBlob text). */
function corruptFirstRecord(answer: string): string {
  return answer.replace(/(<XmlUpdateBlob>)([^<]{0,40})/, "$1&lt;upd:Update&gt;&lt;broken ");
}

/**
 * Turns the first update document of a GetUpdateData answer (its XmlUpdateBlob text) into a hostile one. Attacks on the
 * bytes (invalid UTF-8) cannot live in text: their bad bytes arrive as U+FFFD.
 */
function hostileFirstRecord(answer: string, attack: HostileXmlAttack): string {
  return answer.replace(
    /(<XmlUpdateBlob>)([^<]*)(<\/XmlUpdateBlob>)/,
    (_m, open: string, text: string, close: string) => {
      const hostile = hostileXml(attack, decodeEntities(text)).toString("utf8");
      return `${open}${escapeText(hostile.replace(/\uFFFD/g, "?"))}${close}`;
    },
  );
}

export async function applyFaults(
  fired: Fault[],
  io: {
    body: RequestBody;
    soapAction?: string;
    handle: Handle;
    req: Request;
    res: Response;
    faultServer: (errorCode: string) => ReturnType<typeof faultingServer>;
  },
): Promise<void> {
  const { res } = io;
  let body = io.body;
  let transform: ((answer: string) => string | Buffer) | undefined;
  let dripMs: number | undefined;
  let handle = io.handle;
  for (const fault of fired) {
    switch (fault.kind) {
      case "latency":
        await new Promise((r) => setTimeout(r, fault.latencyMs ?? 1_000));
        break;
      case "http-5xx": {
        const status = Number(fault.errorCode);
        res
          .status(status >= 500 && status <= 599 ? status : 503)
          .type("text/html")
          .send("<html><body><h1>Service Unavailable</h1></body></html>");
        return;
      }
      case "reset":
        io.req.socket.destroy();
        return;
      case "soap-fault": {
        const server = io.faultServer(fault.errorCode ?? "InternalServerError");
        const isAuth = /DssAuth/i.test(io.req.path);
        handle = (b, a) =>
          isAuth ? server.handleDssAuth(b, { soapAction: a }) : server.handleServerSync(b, { soapAction: a });
        break;
      }
      case "invalid-cookie":
        if (body.ok) body = { ok: true, bytes: Buffer.from(breakCookie(body.bytes.toString("utf8"))) };
        break;
      case "malformed":
        res
          .status(200)
          .type("text/xml; charset=utf-8")
          .send('<?xml version="1.0" encoding="utf-8"?><soap:Envelope><soap:Body><Broken');
        return;
      case "truncated":
        transform = (answer) => answer.slice(0, Math.floor(answer.length / 2));
        break;
      case "bad-record":
        transform = corruptFirstRecord;
        break;
      case "slow-drip":
        dripMs = fault.latencyMs ?? 2_000;
        break;
      case "hostile-xml": {
        const attack = fault.document ?? "billion-laughs";
        transform = (answer) => hostileXml(attack, answer);
        break;
      }
      case "hostile-record": {
        const attack = fault.document ?? "billion-laughs";
        transform = (answer) => hostileFirstRecord(answer, attack);
        break;
      }
    }
  }
  const answer = await handle(body, io.soapAction);
  const text = transform ? transform(answer.body) : answer.body;
  if (answer.closeConnection) res.set("Connection", "close");
  res.status(answer.status).type(answer.contentType);
  if (dripMs === undefined || typeof text !== "string") {
    res.send(text);
    return;
  }
  // Headers now, then the body in 20 slices spread over the time.
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.flushHeaders();
  const slices = 20;
  const size = Math.ceil(text.length / slices);
  for (let i = 0; i < text.length; i += size) {
    if (res.destroyed) return;
    res.write(text.slice(i, i + size));
    await new Promise((r) => setTimeout(r, dripMs / slices));
  }
  res.end();
}
