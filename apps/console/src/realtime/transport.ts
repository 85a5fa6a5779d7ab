// The socket behind the realtime layer, reduced to what the console needs: connection news, server events, and
// acknowledged `subscribe`/`unsubscribe`. The production transport is socket.io at the console's origin, loaded on
// first use (its own chunk, not in the initial bundle); tests give a fake one.
import type {
  ClientToServerEvents,
  RunSubscription,
  ServerEventName,
  ServerToClientEvents,
  SocketAck,
} from "@syncpoint/contracts";
import type { Socket } from "socket.io-client";

export interface RealtimeHandlers {
  connect(): void;
  /** `reason` as socket.io gives it; "io server disconnect" means the server ended it (no automatic retry). */
  disconnect(reason: string): void;
  /**
   * A failed attempt. `message` is the server's refusal (UNAUTHENTICATED, PASSWORD_CHANGE_REQUIRED, FORBIDDEN) or a
   * transport error; `willRetry` is false when the socket gives up by itself (a refusal), and `retry()` is needed.
   */
  connectError(message: string, willRetry: boolean): void;
  event(name: ServerEventName, payload: unknown): void;
}

export interface RealtimeConnection {
  emit(event: keyof ClientToServerEvents, payload: RunSubscription): Promise<SocketAck>;
  /** Tries to connect again after the socket gave up. */
  retry(): void;
  close(): void;
}

export type RealtimeTransport = (handlers: RealtimeHandlers) => RealtimeConnection;

const SERVER_EVENTS: readonly ServerEventName[] = ["sup-status", "sync-run", "sync-log", "alert"];
const ACK_TIMEOUT_MS = 10_000;

/** socket.io at the same origin (default path /socket.io), authenticated by the session cookie. */
export const socketIoTransport: RealtimeTransport = (handlers) => {
  let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
  let closed = false;

  void import("socket.io-client").then(
    ({ io }) => {
      if (closed) return;
      socket = io({ transports: ["websocket"], withCredentials: true });
      socket.on("connect", () => handlers.connect());
      socket.on("disconnect", (reason) => handlers.disconnect(reason));
      socket.on("connect_error", (error) => handlers.connectError(error.message, socket?.active ?? false));
      for (const name of SERVER_EVENTS) socket.on(name, (payload) => handlers.event(name, payload));
    },
    (error: unknown) => handlers.connectError(String(error), false),
  );

  return {
    emit(event, payload) {
      const current = socket;
      if (!current?.connected) return Promise.resolve({ error: { code: "NOT_CONNECTED", message: "Not connected." } });
      return current
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(event, payload)
        .then(
          (ack: SocketAck | undefined) => ack ?? { error: { code: "NO_ACK", message: "The server did not answer." } },
          (error: unknown) => ({ error: { code: "NO_ACK", message: String(error) } }),
        );
    },
    retry() {
      if (socket && !socket.connected && !socket.active) socket.connect();
    },
    close() {
      closed = true;
      socket?.disconnect();
      socket = undefined;
    },
  };
};
