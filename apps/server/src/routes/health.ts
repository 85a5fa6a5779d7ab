import { Health, Liveness } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { checkHealth, liveness } from "../services/health.ts";

export const healthRoutes = [
  defineRoute({
    method: "get",
    path: "/health",
    access: "public",
    summary: "Ready: the database is migrated and a worker heartbeat is under 30 s old (else 503 with the reason).",
    response: Health,
    handler: async ({ ctx }) => {
      const health = await checkHealth(ctx);
      return { status: health.status === "ok" ? 200 : 503, body: health };
    },
  }),
  defineRoute({
    method: "get",
    path: "/health/live",
    access: "public",
    summary: "This process is up.",
    response: Liveness,
    handler: ({ ctx }) => ({ body: liveness(ctx) }),
  }),
];
