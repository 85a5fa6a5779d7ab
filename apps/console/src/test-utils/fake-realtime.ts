// A socket stand-in for tests: connects on its own (a microtask after it is opened) unless told not to, records what
// the console emits, acknowledges subscriptions, and lets a test push server events, drop and restore the connection.
import type { RunSubscription, ServerEventName, SocketAck } from "@syncpoint/contracts";
import type { RealtimeHandlers, RealtimeTransport } from "../realtime/transport.ts";

export interface FakeRealtime {
  transport: RealtimeTransport;
  /** Everything the console emitted, in order. */
  emitted: { event: "subscribe" | "unsubscribe"; payload: RunSubscription }[];
  /** How many times the console opened and closed a connection. */
  opened: number;
  closed: number;
  readonly connected: boolean;
  /** The server's answer to subscribe/unsubscribe; `{ ok: true }` unless replaced. */
  ack: (event: "subscribe" | "unsubscribe", payload: RunSubscription) => SocketAck | Promise<SocketAck>;
  connect(): void;
  push(name: ServerEventName, payload: unknown): void;
  /** The connection is lost (socket.io retries by itself). */
  drop(reason?: string): void;
  refuse(message: string): void;
}

/**
 * `push`, inside React's act, waiting for React Query's batched notification (a zero timeout), so that what the event
 * changed is on screen when it returns.
 */
export async function pushEvent(realtime: FakeRealtime, name: ServerEventName, payload: unknown): Promise<void> {
  const { act } = await import("@testing-library/react");
  await act(async () => {
    realtime.push(name, payload);
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

export function fakeRealtime({ autoConnect = true }: { autoConnect?: boolean } = {}): FakeRealtime {
  let handlers: RealtimeHandlers | undefined;
  let connected = false;
  const fake: FakeRealtime = {
    emitted: [],
    opened: 0,
    closed: 0,
    get connected() {
      return connected;
    },
    ack: () => ({ ok: true }),
    transport: (given) => {
      handlers = given;
      fake.opened += 1;
      let open = true;
      if (autoConnect) queueMicrotask(() => open && handlers === given && fake.connect());
      return {
        emit: async (event, payload) => {
          fake.emitted.push({ event, payload });
          return fake.ack(event, payload);
        },
        retry: () => undefined,
        close: () => {
          open = false;
          connected = false;
          fake.closed += 1;
          if (handlers === given) handlers = undefined;
        },
      };
    },
    connect() {
      connected = true;
      handlers?.connect();
    },
    push(name, payload) {
      if (connected) handlers?.event(name, payload);
    },
    drop(reason = "transport close") {
      connected = false;
      handlers?.disconnect(reason);
    },
    refuse(message) {
      connected = false;
      handlers?.connectError(message, false);
    },
  };
  return fake;
}
