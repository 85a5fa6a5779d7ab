// `syncpoint log <run|latest> [--follow]`: the run's log in the wsyncmgr.log line format, as the API returns it
// (GET /api/sync-runs/:id/log); `--follow` prints new lines every second (`?after=<X-Log-Seq>`) until the run ends.
import { SyncRunDto, SyncRunPage } from "@syncpoint/contracts";
import type { Context } from "../context.ts";
import { CliError, EXIT, Interrupted } from "../io.ts";
import { isTerminal } from "../progress.ts";

export interface LogOptions {
  follow?: boolean;
}

export const FOLLOW_MS = 1_000;

/** `latest` → the newest run's id. */
export async function resolveRunId(ctx: Context, run: string): Promise<string> {
  if (run.toLowerCase() !== "latest") return run;
  const page = await ctx.api.get("/sync-runs", SyncRunPage, { pageSize: 1, sort: "-queuedAt" });
  const latest = page.items[0];
  if (!latest) throw new CliError("there is no synchronization run yet");
  return latest.id;
}

export async function logCommand(ctx: Context, runArg: string, options: LogOptions): Promise<number> {
  try {
    return await printLog(ctx, await resolveRunId(ctx, runArg), options);
  } catch (error) {
    if (options.follow && error instanceof Interrupted) return EXIT.ok;
    throw error;
  }
}

async function printLog(ctx: Context, runId: string, options: LogOptions): Promise<number> {
  const path = `/sync-runs/${encodeURIComponent(runId)}`;
  let after: number | undefined;
  for (;;) {
    // The state first: when the run had ended before the log was read, that read holds every line.
    const ended = options.follow ? isTerminal(await ctx.api.get(path, SyncRunDto)) : true;
    const { text, headers } = await ctx.api.text(`${path}/log`, { after });
    const seq = headers.get("x-log-seq");
    if (seq && /^\d+$/.test(seq)) after = Number(seq);
    const lines = text.split("\n").filter((line) => line !== "");
    if (ctx.json) {
      if (lines.length > 0 || !options.follow) {
        const batch = { runId, seq: after ?? null, lines };
        if (options.follow) ctx.printJsonLine(batch);
        else ctx.printJson(batch);
      }
    } else if (text) ctx.out(text.endsWith("\n") ? text : `${text}\n`);
    if (ended) return EXIT.ok;
    await ctx.io.sleep(FOLLOW_MS);
    if (ctx.io.interrupt.aborted) return EXIT.ok;
  }
}
