import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, readJson, startTestServer, type TestServer } from "./harness.ts";
import { waitFor } from "./processes.ts";

let server: TestServer;
let admin: Browser;
beforeAll(async () => {
  server = await startTestServer();
  admin = new Browser(server.url);
  await admin.login();
});
afterAll(() => server.close());

function open(options: {
  headers?: Record<string, string>;
  token?: string;
}): Promise<{ socket: Socket; result: true | string }> {
  const socket = connect(server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: options.headers ?? {},
    ...(options.token ? { auth: { token: options.token } } : {}),
  });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ socket, result: true }));
    socket.once("connect_error", (error) => resolve({ socket, result: error.message }));
  });
}

describe("socket.io authentication", () => {
  it("accepts the session cookie from our own origin and refuses it from another (no cross-site hijacking)", async () => {
    const ours = await open({ headers: { cookie: admin.sessionCookie!, origin: server.url } });
    expect(ours.result).toBe(true);
    ours.socket.disconnect();
    const theirs = await open({ headers: { cookie: admin.sessionCookie!, origin: "https://evil.example" } });
    expect(theirs.result).toBe("FORBIDDEN");
    theirs.socket.disconnect();
  });

  it("accepts an API token in the handshake and refuses an unknown one", async () => {
    const { secret } = await readJson(await admin.request("POST", "/api/tokens", { name: "socket" }));
    const good = await open({ token: secret });
    expect(good.result).toBe(true);
    good.socket.disconnect();
    const bad = await open({ token: "spt_nope" });
    expect(bad.result).toBe("INVALID_TOKEN");
    bad.socket.disconnect();
  });

  it("refuses a session that must still change its password", async () => {
    const { initialPassword } = await readJson(
      await admin.request("POST", "/api/users", { username: "newbie", role: "read-only-analyst" }),
    );
    const newbie = new Browser(server.url);
    await newbie.login("newbie", initialPassword);
    const { socket, result } = await open({ headers: { cookie: newbie.sessionCookie! } });
    expect(result).toBe("PASSWORD_CHANGE_REQUIRED");
    socket.disconnect();
  });

  it("answers a malformed subscription with an error naming the field", async () => {
    const { socket } = await open({ headers: { cookie: admin.sessionCookie! } });
    try {
      const ack = await socket.timeout(5_000).emitWithAck("subscribe", { runId: "42" });
      expect(ack).toEqual({ error: { code: "VALIDATION_FAILED", message: "payload.runId: runId is a run id (UUID)" } });
    } finally {
      socket.disconnect();
    }
  });

  it("delivers published events to the room's sockets, large ones through the attachment table", async () => {
    const { socket } = await open({ headers: { cookie: admin.sessionCookie! } });
    try {
      const runId = "0b7f3b4e-7c1e-4a53-9d0e-6f1f0c6d1a01";
      expect(await socket.timeout(5_000).emitWithAck("subscribe", { runId })).toEqual({ ok: true });
      const received: { seq: number; lines: unknown[] }[] = [];
      socket.on("sync-log", (event) => void received.push(event as unknown as { seq: number; lines: unknown[] }));
      const line = (i: number) => ({
        seq: i,
        time: new Date().toISOString(),
        severity: "info" as const,
        text: `line ${i} ${"x".repeat(100)}`,
      });
      await server.ctx.events.syncLog(runId, [line(1)]);
      await server.ctx.events.syncLog(
        runId,
        Array.from({ length: 200 }, (_, i) => line(i + 2)),
      );
      await server.ctx.events.syncLog("00000000-0000-4000-8000-000000000000", [line(999)]); // another room
      await waitFor(() => received.length >= 2, 5_000, "two sync-log events");
      expect(received.map((e) => e.lines.length)).toEqual([1, 200]);
      expect(received[1]!.seq).toBeGreaterThan(received[0]!.seq);
      expect(
        await server.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM socket_io_attachments`,
      ).toEqual([{ n: 1n }]);
    } finally {
      socket.disconnect();
    }
  });
});
