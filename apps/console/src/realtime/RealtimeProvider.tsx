import { useQueryClient } from "@tanstack/react-query";
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { useMe } from "../api/auth.ts";
import { RealtimeSession, type RealtimeSnapshot } from "./session.ts";
import { socketIoTransport, type RealtimeTransport } from "./transport.ts";

/** The socket to use: socket.io by default; tests give a fake one (AppProviders' `realtime`). */
export const RealtimeTransportContext = createContext<RealtimeTransport>(socketIoTransport);

const RealtimeSessionContext = createContext<RealtimeSession | null>(null);

/**
 * The console's realtime session, in the layout: one socket while a user is signed in (and needs no password change),
 * closed when they sign out (the layout unmounts) or another user signs in.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const transport = useContext(RealtimeTransportContext);
  const me = useMe().data;
  const user = me && !me.mustChangePassword ? me.username : null;
  const session = useMemo(
    () => (user === null ? null : new RealtimeSession(queryClient, transport)),
    [queryClient, transport, user],
  );
  useEffect(() => {
    if (!session) return;
    session.start();
    return () => session.close();
  }, [session]);
  return <RealtimeSessionContext.Provider value={session}>{children}</RealtimeSessionContext.Provider>;
}

const NO_SESSION: RealtimeSnapshot = { state: "connecting", settled: true };
const noop = () => () => undefined;

/** The connection state; without a session (outside the console frame), `connecting` and settled. */
export function useRealtimeState(): RealtimeSnapshot {
  const session = useContext(RealtimeSessionContext);
  return useSyncExternalStore(session?.subscribe ?? noop, session?.getSnapshot ?? (() => NO_SESSION));
}

/**
 * Query options for data that socket events keep current: no refetch of its own while the socket is connected
 * (events update it, and a reconnect invalidates it); a poll while it is not; no first fetch before the socket's
 * first attempt is over.
 */
export function useLiveQueryOptions() {
  const { state, settled } = useRealtimeState();
  const offline = state === "reconnecting";
  return {
    enabled: settled,
    staleTime: Infinity,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    refetchInterval: offline ? 30_000 : (false as const),
  };
}

/**
 * Follows a run's log lines (`subscribe {runId}`) while mounted; `unsubscribe` on unmount. `ready` says the log can be
 * fetched: the server has acknowledged (or refused) the subscription, or there is no connection to wait for.
 */
export function useRunLogSubscription(runId: string): { ready: boolean; live: boolean } {
  const session = useContext(RealtimeSessionContext);
  const { state, settled } = useRealtimeState();
  useEffect(() => session?.followRun(runId), [session, runId]);
  const runState = useSyncExternalStore(session?.subscribe ?? noop, () => session?.runState(runId));
  if (!session || state !== "connected") return { ready: settled, live: false };
  return { ready: runState !== undefined && runState !== "pending", live: runState === "subscribed" };
}
