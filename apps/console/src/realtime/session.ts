// One realtime session per signed-in console: the socket's state, the events applied to the query cache, and the
// runs whose log lines are followed (`subscribe {runId}`, renewed after every reconnect).
import type { QueryClient } from "@tanstack/react-query";
import { queryKeys } from "../api/query-keys.ts";
import { applyServerEvent, invalidateLiveKeys, type AlertMemory, type RunMemory } from "./cache.ts";
import type { RealtimeConnection, RealtimeTransport } from "./transport.ts";

/**
 * `connecting`: the first attempt is under way. `connected`. `reconnecting`: the connection failed or was lost, and
 * events may be missed until it is back (the top bar says so).
 */
export type ConnectionState = "connecting" | "connected" | "reconnecting";

export interface RealtimeSnapshot {
  state: ConnectionState;
  /**
   * The first attempt is over (or took too long): live queries may load. Before that they wait, so that nothing
   * fetched before the socket joined is missing the events sent in between.
   */
  settled: boolean;
}

/** A followed run's log: `pending` until the server acknowledged the subscription (or refused it). */
export type RunSubscriptionState = "pending" | "subscribed" | "failed";

export interface RealtimeSessionOptions {
  /** How long live queries wait for the first connection before loading anyway. */
  settleAfterMs?: number;
  /** How long to wait before trying again when the server refused the socket or closed it. */
  retryAfterMs?: number;
}

const SESSION_ERRORS = new Set(["UNAUTHENTICATED", "PASSWORD_CHANGE_REQUIRED"]);

export class RealtimeSession {
  private connection: RealtimeConnection | undefined;
  private snapshot: RealtimeSnapshot = { state: "connecting", settled: false };
  /** A connection was lost or refused since the last one: the next `connect` is a reconnect. */
  private missedEvents = false;
  private readonly runs = new Map<string, { count: number; state: RunSubscriptionState }>();
  private readonly listeners = new Set<() => void>();
  private readonly memory: RunMemory = new Map();
  private readonly alertMemory: AlertMemory = new Map();
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly settleAfterMs: number;
  private readonly retryAfterMs: number;

  constructor(
    private readonly queryClient: QueryClient,
    private readonly transport: RealtimeTransport,
    options: RealtimeSessionOptions = {},
  ) {
    this.settleAfterMs = options.settleAfterMs ?? 4_000;
    this.retryAfterMs = options.retryAfterMs ?? 10_000;
  }

  /** Opens the socket. A closed session can be started again (React's strict mode does so). */
  start(): void {
    if (this.connection) return;
    this.missedEvents = false;
    this.update({ state: "connecting", settled: this.snapshot.settled });
    this.settleTimer = setTimeout(() => this.update({ ...this.snapshot, settled: true }), this.settleAfterMs);
    this.connection = this.transport({
      connect: () => this.onConnect(),
      disconnect: (reason) => this.onLost(reason === "io server disconnect"),
      connectError: (message, willRetry) => {
        // The session ended or must change its password: `me` says so, and the console follows (login page).
        if (SESSION_ERRORS.has(message)) void this.queryClient.invalidateQueries({ queryKey: queryKeys.me() });
        this.onLost(!willRetry);
      },
      event: (name, payload) => applyServerEvent(this.queryClient, name, payload, this.memory, this.alertMemory),
    });
  }

  close(): void {
    clearTimeout(this.settleTimer);
    clearTimeout(this.retryTimer);
    this.connection?.close();
    this.connection = undefined;
    for (const run of this.runs.values()) run.state = "pending";
  }

  getSnapshot = (): RealtimeSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  runState(runId: string): RunSubscriptionState | undefined {
    return this.runs.get(runId)?.state;
  }

  /** Follows a run's log lines while the returned function is not called; several callers share one subscription. */
  followRun(runId: string): () => void {
    const existing = this.runs.get(runId);
    if (existing) {
      existing.count += 1;
    } else {
      this.runs.set(runId, { count: 1, state: "pending" });
      if (this.snapshot.state === "connected") this.sendSubscribe(runId);
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const run = this.runs.get(runId);
      if (!run) return;
      run.count -= 1;
      if (run.count > 0) return;
      this.runs.delete(runId);
      if (this.snapshot.state === "connected") void this.connection?.emit("unsubscribe", { runId });
    };
  }

  private onConnect(): void {
    clearTimeout(this.settleTimer);
    clearTimeout(this.retryTimer);
    const reconnect = this.missedEvents;
    this.missedEvents = false;
    this.update({ state: "connected", settled: true });
    if (reconnect) void invalidateLiveKeys(this.queryClient);
    for (const runId of this.runs.keys()) this.sendSubscribe(runId);
  }

  private onLost(retryByHand: boolean): void {
    this.missedEvents = true;
    clearTimeout(this.settleTimer);
    for (const run of this.runs.values()) run.state = "pending";
    this.update({ state: "reconnecting", settled: true });
    if (retryByHand) {
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.connection?.retry(), this.retryAfterMs);
    }
  }

  private sendSubscribe(runId: string): void {
    const connection = this.connection;
    if (!connection) return;
    void connection.emit("subscribe", { runId }).then((ack) => {
      const run = this.runs.get(runId);
      if (!run || this.connection !== connection) return;
      run.state = "ok" in ack ? "subscribed" : "failed";
      // Lines written before the server put this socket in the run's room came by no event: a log fetched before
      // then is refetched. (A log not fetched yet loads now, see useRunLog.)
      const log = queryKeys.syncRunLog(runId);
      if (run.state === "subscribed" && this.queryClient.getQueryData(log) !== undefined) {
        void this.queryClient.invalidateQueries({ queryKey: log, exact: true });
      }
      this.notify();
    });
  }

  private update(next: RealtimeSnapshot): void {
    if (next.state === this.snapshot.state && next.settled === this.snapshot.settled) return;
    this.snapshot = next;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
