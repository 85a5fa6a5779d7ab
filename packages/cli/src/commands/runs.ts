// `syncpoint runs [--site X] [--limit N]`: synchronization runs, newest first (GET /api/sync-runs).
import { SyncRunPage } from "@syncpoint/contracts";
import type { Context } from "../context.ts";
import { EXIT } from "../io.ts";
import { dash, elapsed, num, table, time } from "../format.ts";

export interface RunsOptions {
  site?: string;
  limit: number;
}

export function runsTable(page: SyncRunPage, now = Date.now()): string {
  const rows = page.items.map((run) => {
    const took = run.startedAt
      ? elapsed((run.finishedAt ? Date.parse(run.finishedAt) : now) - Date.parse(run.startedAt))
      : "";
    const c = run.counts;
    return [
      run.id,
      run.siteCode,
      run.trigger,
      run.state,
      run.fullSync ? "full" : "delta",
      time(run.queuedAt),
      dash(took),
      num(c.new),
      num(c.revised),
      num(c.expired),
      num(c.superseded),
      num(c.removed),
      dash(run.errorCode),
    ];
  });
  const shown = page.items.length;
  return (
    table(
      [
        { header: "RUN" },
        { header: "SITE" },
        { header: "TRIGGER" },
        { header: "STATE" },
        { header: "TYPE" },
        { header: "QUEUED" },
        { header: "TOOK" },
        { header: "NEW", align: "right" },
        { header: "REVISED", align: "right" },
        { header: "EXPIRED", align: "right" },
        { header: "SUPERSEDED", align: "right" },
        { header: "REMOVED", align: "right" },
        { header: "ERROR" },
      ],
      rows,
    ) + `\n${num(shown)} of ${num(page.total)} run${page.total === 1 ? "" : "s"}, newest first\n`
  );
}

export async function runsCommand(ctx: Context, options: RunsOptions): Promise<number> {
  const page = await ctx.api.get("/sync-runs", SyncRunPage, {
    site: options.site?.toUpperCase(),
    pageSize: options.limit,
    sort: "-queuedAt",
  });
  if (ctx.json) ctx.printJson(page);
  else ctx.out(runsTable(page));
  return EXIT.ok;
}
