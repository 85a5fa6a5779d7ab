import type { Health, Liveness } from "@syncpoint/contracts";
import type { AppContext } from "../context.ts";

/**
 * Ready means: every migration this build ships is applied, and some worker beat within the allowed age (otherwise a
 * sync would be accepted and never run).
 */
export async function checkHealth(ctx: AppContext): Promise<Health> {
  let applied: { migration_name: string }[];
  try {
    applied = await ctx.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
  } catch {
    return { status: "unavailable", role: ctx.role, reason: "the database cannot be reached or is not migrated" };
  }
  const names = new Set(applied.map((r) => r.migration_name));
  const missing = ctx.migrationNames.filter((n) => !names.has(n));
  if (missing.length > 0) {
    return { status: "unavailable", role: ctx.role, reason: `migrations not applied: ${missing.join(", ")}` };
  }
  const newest = await ctx.prisma.workerHeartbeat.findFirst({ orderBy: { lastBeatAt: "desc" } });
  if (!newest) return { status: "unavailable", role: ctx.role, reason: "no worker has started" };
  const ageMs = Date.now() - newest.lastBeatAt.getTime();
  if (ageMs > ctx.config.HEALTH_HEARTBEAT_MAX_AGE_MS) {
    return {
      status: "unavailable",
      role: ctx.role,
      reason: `no worker heartbeat for ${Math.round(ageMs / 1000)} s (last from ${newest.hostname}, pid ${newest.pid})`,
    };
  }
  return { status: "ok", role: ctx.role };
}

export function liveness(ctx: AppContext): Liveness {
  return {
    status: "ok",
    role: ctx.role,
    pid: process.pid,
    uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
  };
}
