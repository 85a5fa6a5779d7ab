// socket.io on the API's HTTP server: same origin, authenticated by the session cookie or an API token, and every
// client event goes through a declared subscription (access rule + payload schema), answered by an ack.
import type { Server as HttpServer } from "node:http";
import {
  STATUS_ROOM,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketAck,
} from "@syncpoint/contracts";
import { parse as parseCookie } from "cookie";
import { createAdapter } from "@socket.io/postgres-adapter";
import { Server, type Socket } from "socket.io";
import type { AppContext } from "../context.ts";
import type { Principal } from "../http/principal.ts";
import { addSocketHeaders } from "../http/security-headers.ts";
import { ADAPTER_OPTIONS } from "./events.ts";
import { SESSION_COOKIE, resolveSession } from "../services/sessions.ts";
import { resolveApiToken } from "../services/tokens.ts";
import {
  assertSubscriptionsDeclared,
  subscriptions as defaultSubscriptions,
  type SubscriptionSpec,
} from "./subscriptions.ts";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents>;

interface SocketData {
  principal: Principal;
}

/** Who is connecting: a bearer token (auth.token or Authorization), else the session cookie from the same origin. */
async function authenticateSocket(ctx: AppContext, socket: Socket): Promise<Principal> {
  const { headers, auth } = socket.handshake;
  const bearer =
    (typeof auth?.token === "string" ? auth.token : undefined) ??
    /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? "")?.[1];
  if (bearer) {
    const principal = await resolveApiToken(ctx, bearer);
    if (!principal) throw new Error("INVALID_TOKEN");
    return principal;
  }
  // A cookie rides along with any page's WebSocket: accept it only from our own origin (no cross-site hijacking).
  const origin = headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== headers.host) throw new Error("FORBIDDEN");
  }
  const token = parseCookie(headers.cookie ?? "")[SESSION_COOKIE];
  const principal = token ? await resolveSession(ctx, token) : undefined;
  if (!principal) throw new Error("UNAUTHENTICATED");
  if (principal.mustChangePassword) throw new Error("PASSWORD_CHANGE_REQUIRED");
  return principal;
}

const failure = (code: string, message: string): SocketAck => ({ error: { code, message } });

export function attachRealtime(
  httpServer: HttpServer,
  ctx: AppContext,
  subscriptions: readonly SubscriptionSpec[] = defaultSubscriptions,
): RealtimeServer {
  assertSubscriptionsDeclared(subscriptions);
  const io: RealtimeServer = new Server(httpServer, { serveClient: false });
  io.engine.on("headers", addSocketHeaders);
  // Events published by any process (workers included, realtime/events.ts) arrive through Postgres NOTIFY; `close()`
  // also closes the adapter (its LISTEN connection goes back to the pool).
  io.adapter(
    createAdapter(ctx.pool, {
      ...ADAPTER_OPTIONS,
      errorHandler: (error: Error) => ctx.logger.warn({ err: error }, "socket.io adapter error"),
    }),
  );

  io.use((socket, next) => {
    authenticateSocket(ctx, socket)
      .then((principal) => {
        (socket.data as SocketData).principal = principal;
        next();
      })
      .catch((error: Error) =>
        next(
          new Error(
            error.message === "INVALID_TOKEN" ||
              error.message === "FORBIDDEN" ||
              error.message === "PASSWORD_CHANGE_REQUIRED"
              ? error.message
              : "UNAUTHENTICATED",
          ),
        ),
      );
  });

  io.on("connection", (socket) => {
    const { principal } = socket.data as SocketData;
    if (principal.permissions.includes("read")) void socket.join(STATUS_ROOM);
    for (const spec of subscriptions) {
      socket.on(spec.event, async (payload: unknown, ack?: (result: SocketAck) => void) => {
        const reply = typeof ack === "function" ? ack : () => undefined;
        if (!principal.permissions.includes(spec.access)) {
          return reply(
            failure("FORBIDDEN", `Your role (${principal.role}) does not allow this (needs ${spec.access}).`),
          );
        }
        const parsed = spec.payload.safeParse(payload);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return reply(
            failure(
              "VALIDATION_FAILED",
              `${["payload", ...(issue?.path ?? []).map(String)].join(".")}: ${issue?.message ?? "invalid"}`,
            ),
          );
        }
        try {
          await spec.handler({ socket, principal, payload: parsed.data, ctx });
          reply({ ok: true });
        } catch (error) {
          ctx.logger.error({ err: error, event: spec.event }, "socket subscription failed");
          reply(failure("INTERNAL_ERROR", "The subscription failed on the server."));
        }
      });
    }
  });
  return io;
}
