import { z } from "zod";

export const ProcessRole = z.enum(["api", "worker", "all"]);
export type ProcessRole = z.infer<typeof ProcessRole>;

/** `GET /api/health`: 200 when the database is migrated and a worker heartbeat is fresh, else 503 with a reason. */
export const Health = z.object({
  status: z.enum(["ok", "unavailable"]),
  role: ProcessRole,
  reason: z.string().optional(),
});
export type Health = z.infer<typeof Health>;

/** `GET /api/health/live`: this process is up. */
export const Liveness = z.object({
  status: z.literal("ok"),
  role: ProcessRole,
  pid: z.number().int(),
  uptimeSeconds: z.number(),
});
export type Liveness = z.infer<typeof Liveness>;
