import { QueryClient } from "@tanstack/react-query";
import { afterEach, describe, expect, it, vi } from "vitest";
import { queryKeys } from "../api/query-keys.ts";
import { fakeRealtime } from "../test-utils/fake-realtime.ts";
import { RUN_ID, statusRow } from "../test-utils/sync-fixtures.ts";
import { RealtimeSession } from "./session.ts";

afterEach(() => {
  vi.useRealTimers();
});

function setUp(options: { autoConnect?: boolean } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  client.setQueryData(queryKeys.supSyncStatus(), { items: [statusRow()] });
  client.setQueryData(queryKeys.syncRun(RUN_ID), { id: RUN_ID });
  client.setQueryData(queryKeys.me(), { username: "admin" });
  const socket = fakeRealtime({ autoConnect: false, ...options });
  const session = new RealtimeSession(client, socket.transport, { settleAfterMs: 50, retryAfterMs: 10 });
  const isInvalidated = (key: readonly unknown[]) =>
    client.getQueryCache().find({ queryKey: key, exact: true })?.state.isInvalidated ?? false;
  return { client, socket, session, isInvalidated };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("realtime session", () => {
  it("is settled once connected, and a first connect invalidates nothing", () => {
    const { socket, session, isInvalidated } = setUp();
    session.start();
    expect(session.getSnapshot()).toEqual({ state: "connecting", settled: false });
    socket.connect();
    expect(session.getSnapshot()).toEqual({ state: "connected", settled: true });
    expect(isInvalidated(queryKeys.supSyncStatus())).toBe(false);
    expect(isInvalidated(queryKeys.syncRun(RUN_ID))).toBe(false);
  });

  it("applies server events to the cache", () => {
    const { client, socket, session } = setUp();
    session.start();
    socket.connect();
    socket.push("sup-status", { ...statusRow({ state: "queued" }), seq: 4 });
    expect(client.getQueryData<{ items: { state: string }[] }>(queryKeys.supSyncStatus())!.items[0]?.state).toBe(
      "queued",
    );
  });

  it("says it is reconnecting when the connection is lost, and invalidates the live keys when it is back", async () => {
    const { socket, session, isInvalidated } = setUp();
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.getSnapshot().state));
    session.start();
    socket.connect();
    socket.drop();
    expect(session.getSnapshot().state).toBe("reconnecting");
    expect(isInvalidated(queryKeys.supSyncStatus())).toBe(false);
    socket.connect();
    await flush();
    expect(seen).toEqual(["connected", "reconnecting", "connected"]);
    expect(isInvalidated(queryKeys.supSyncStatus())).toBe(true);
    expect(isInvalidated(queryKeys.syncRun(RUN_ID))).toBe(true);
    expect(isInvalidated(queryKeys.me())).toBe(false);
  });

  it("settles without a connection after a while, so that the pages can load", () => {
    vi.useFakeTimers();
    const { session } = setUp();
    session.start();
    expect(session.getSnapshot().settled).toBe(false);
    vi.advanceTimersByTime(60);
    expect(session.getSnapshot()).toEqual({ state: "connecting", settled: true });
    session.close();
  });

  it("re-asks who is signed in when the server refuses the socket for the session, and tries again later", () => {
    vi.useFakeTimers();
    const { client, socket } = setUp();
    let retries = 0;
    const session = new RealtimeSession(
      client,
      (handlers) => ({ ...socket.transport(handlers), retry: () => void (retries += 1) }),
      { retryAfterMs: 10 },
    );
    session.start();
    socket.refuse("UNAUTHENTICATED");
    expect(session.getSnapshot()).toEqual({ state: "reconnecting", settled: true });
    expect(client.getQueryCache().find({ queryKey: queryKeys.me() })?.state.isInvalidated).toBe(true);
    expect(retries).toBe(0);
    vi.advanceTimersByTime(10);
    expect(retries).toBe(1);
    session.close();
  });

  it("follows a run's log: subscribes once for several callers, again after a reconnect, unsubscribes when released", async () => {
    const { client, socket, session } = setUp();
    session.start();
    socket.connect();
    const releaseA = session.followRun(RUN_ID);
    const releaseB = session.followRun(RUN_ID);
    expect(socket.emitted).toEqual([{ event: "subscribe", payload: { runId: RUN_ID } }]);
    expect(session.runState(RUN_ID)).toBe("pending");
    await flush();
    expect(session.runState(RUN_ID)).toBe("subscribed");

    // A log fetched before the subscription was renewed is refetched once the server acknowledged it.
    client.setQueryData(queryKeys.syncRunLog(RUN_ID), { lines: [], lastSeq: 0 });
    socket.drop();
    expect(session.runState(RUN_ID)).toBe("pending");
    socket.connect();
    expect(socket.emitted.map((e) => e.event)).toEqual(["subscribe", "subscribe"]);
    await flush();
    expect(client.getQueryCache().find({ queryKey: queryKeys.syncRunLog(RUN_ID) })?.state.isInvalidated).toBe(true);

    releaseA();
    expect(socket.emitted).toHaveLength(2);
    releaseB();
    expect(socket.emitted.at(-1)).toEqual({ event: "unsubscribe", payload: { runId: RUN_ID } });
    expect(session.runState(RUN_ID)).toBeUndefined();
  });

  it("marks a refused subscription as failed, so that the log still loads (without following it)", async () => {
    const { socket, session } = setUp();
    socket.ack = () => ({ error: { code: "FORBIDDEN", message: "no" } });
    session.start();
    socket.connect();
    session.followRun(RUN_ID);
    await flush();
    expect(session.runState(RUN_ID)).toBe("failed");
  });

  it("closes the socket when closed", () => {
    const { socket, session } = setUp();
    session.start();
    socket.connect();
    session.close();
    expect(socket.closed).toBe(1);
    expect(socket.connected).toBe(false);
  });
});
