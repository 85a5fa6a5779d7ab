// Socket subscriptions declare who may make them, like routes: a subscription without an access rule stops the
// server at boot.
import { RunSubscription, runRoom, type Permission } from "@syncpoint/contracts";
import type { Socket } from "socket.io";
import type { z } from "zod";
import type { AppContext } from "../context.ts";
import type { Principal } from "../http/principal.ts";

export interface SubscriptionSpec<S extends z.ZodType = z.ZodType> {
  event: "subscribe" | "unsubscribe";
  access: Permission;
  summary: string;
  payload: S;
  handler: (input: {
    socket: Socket;
    principal: Principal;
    payload: z.infer<S>;
    ctx: AppContext;
  }) => Promise<void> | void;
}

export function defineSubscription<S extends z.ZodType>(spec: SubscriptionSpec<S>): SubscriptionSpec {
  return spec as unknown as SubscriptionSpec;
}

export const subscriptions: readonly SubscriptionSpec[] = [
  defineSubscription({
    event: "subscribe",
    access: "read",
    summary: "Receive the sync-log lines of one run.",
    payload: RunSubscription,
    handler: async ({ socket, payload }) => {
      await socket.join(runRoom(payload.runId));
    },
  }),
  defineSubscription({
    event: "unsubscribe",
    access: "read",
    summary: "Stop receiving a run's sync-log lines.",
    payload: RunSubscription,
    handler: async ({ socket, payload }) => {
      await socket.leave(runRoom(payload.runId));
    },
  }),
];

export function assertSubscriptionsDeclared(specs: readonly SubscriptionSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (typeof spec.access !== "string" || !/^[a-z]+(\.[a-z]+)*$/.test(spec.access)) {
      throw new Error(`Socket subscription "${spec.event}" declares no access rule.`);
    }
    if (seen.has(spec.event)) throw new Error(`Socket subscription "${spec.event}" is registered twice.`);
    seen.add(spec.event);
  }
}
