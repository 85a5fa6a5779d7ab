// `syncpoint sync [--full] [--wait]`: Synchronize Software Updates at the top-level site (POST /api/sync), and with
// `--wait` follow the run (GET /api/sync-runs/:id every second) to its outcome. While a run is already queued or
// running the API answers 409 SYNC_ALREADY_ACTIVE: without `--wait` that is an error (exit 1, the active run's id
// printed); with `--wait` the CLI follows that run instead, so `sync --wait` always ends with an outcome.
import { StartSyncResponse, SyncRunDto } from "@syncpoint/contracts";
import { ApiError, NetworkError } from "../api.ts";
import type { Context } from "../context.ts";
import { EXIT, Interrupted } from "../io.ts";
import { exitCodeOf, isTerminal, ProgressPrinter } from "../progress.ts";

export interface SyncOptions {
  full?: boolean;
  wait?: boolean;
}

export const POLL_MS = 1_000;

export async function syncCommand(ctx: Context, options: SyncOptions): Promise<number> {
  let runId: string;
  try {
    ({ runId } = await ctx.api.post("/sync", StartSyncResponse, options.full ? { fullSync: true } : {}));
  } catch (error) {
    const active = activeRunOf(error);
    if (!active || !options.wait) throw error;
    ctx.note(`A synchronization is already queued or running: following run ${active}`);
    return followRun(ctx, active);
  }
  if (!options.wait) {
    if (ctx.json) ctx.printJson({ runId });
    else
      ctx.out(
        `Started ${options.full ? "a full " : ""}synchronization: run ${runId}\n` +
          `Follow it with: syncpoint log ${runId} --follow\n`,
      );
    return EXIT.ok;
  }
  if (!ctx.json) ctx.out(`Started ${options.full ? "a full " : ""}synchronization: run ${runId}\n`);
  return followRun(ctx, runId);
}

/** The active run's id from a 409 SYNC_ALREADY_ACTIVE. */
export function activeRunOf(error: unknown): string | undefined {
  if (!(error instanceof ApiError) || error.code !== "SYNC_ALREADY_ACTIVE") return undefined;
  const runId = (error.details as { runId?: unknown } | undefined)?.runId;
  return typeof runId === "string" ? runId : undefined;
}

/** Polls the run every second, printing each change, until it ends; the exit code tells the outcome. */
export async function followRun(ctx: Context, runId: string): Promise<number> {
  const printer = new ProgressPrinter(ctx.out, ctx.json);
  let failures = 0;
  for (;;) {
    let run: SyncRunDto;
    try {
      run = await ctx.api.get(`/sync-runs/${encodeURIComponent(runId)}`, SyncRunDto);
      failures = 0;
    } catch (error) {
      if (error instanceof Interrupted) return interrupted(ctx, runId);
      // A restart of the API (or a blip) should not end `--wait`; a server that stays away does.
      if (!(error instanceof NetworkError) || ++failures > 10) throw error;
      await ctx.io.sleep(POLL_MS);
      if (ctx.io.interrupt.aborted) return interrupted(ctx, runId);
      continue;
    }
    printer.update(run);
    if (isTerminal(run)) return exitCodeOf(run);
    await ctx.io.sleep(POLL_MS);
    if (ctx.io.interrupt.aborted) return interrupted(ctx, runId);
  }
}

function interrupted(ctx: Context, runId: string): number {
  ctx.note(`Stopped waiting; run ${runId} goes on (syncpoint log ${runId} --follow).`);
  return EXIT.interrupted;
}
