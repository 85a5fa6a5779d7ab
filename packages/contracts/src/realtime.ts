// The socket.io contract (DESIGN.md, "socket.io"). Every server event carries a `seq`; a console that missed one
// refetches over REST, which stays the source of truth.
import { z } from "zod";
import type { ErrorEnvelope } from "./errors.ts";

/** `subscribe { runId }`: receive that run's `sync-log` lines. */
export const RunSubscription = z.object({ runId: z.string().uuid("runId is a run id (UUID)") });
export type RunSubscription = z.infer<typeof RunSubscription>;

export type SocketAck = { ok: true } | ErrorEnvelope;

export interface ClientToServerEvents {
  subscribe: (payload: RunSubscription, ack?: (result: SocketAck) => void) => void;
  unsubscribe: (payload: RunSubscription, ack?: (result: SocketAck) => void) => void;
}

/** Names of the events the server pushes; payload types join as the features that send them arrive. */
export const SERVER_EVENTS = ["sup-status", "sync-run", "alert", "sync-log"] as const;
export type ServerEventName = (typeof SERVER_EVENTS)[number];

export interface SequencedEvent {
  seq: number;
}

export type ServerToClientEvents = {
  [E in ServerEventName]: (payload: SequencedEvent & Record<string, unknown>) => void;
};

/** Rooms: every authorized socket joins `status`; `subscribe` adds `run:<id>`. */
export const STATUS_ROOM = "status";
export const runRoom = (runId: string) => `run:${runId}`;
