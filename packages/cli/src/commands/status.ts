// `syncpoint status [--watch]`: Monitoring › Software Update Point Synchronization Status (GET /api/sup-sync-status)
// as a table; `--watch` redraws it every 2 s until Ctrl-C.
import { SupSyncStatusList, type SupState, type SupSyncStatusRow } from "@syncpoint/contracts";
import type { Context } from "../context.ts";
import { EXIT, Interrupted } from "../io.ts";
import { approxDuration, dash, num, table, time, WAITING_LABELS } from "../format.ts";

export interface StatusOptions {
  watch?: boolean;
  state?: SupState;
  parent?: string;
  search?: string;
}

export const WATCH_MS = 2_000;

/** The Progress column: what an active row is doing. */
export function rowProgress(row: SupSyncStatusRow): string {
  if (row.state === "queued") {
    return row.waitingReason ? `waiting: ${WAITING_LABELS[row.waitingReason] ?? row.waitingReason}` : "waiting";
  }
  if (row.state !== "running" && row.state !== "canceling") return "";
  let text = `${row.phase ?? "starting"} ${row.percent}%`;
  if (row.total > 0) text += ` (${num(row.processed)}/${num(row.total)})`;
  if (row.etaSeconds !== null && row.etaSeconds > 0) text += ` ~${approxDuration(row.etaSeconds)}`;
  return text;
}

export function statusTable(list: SupSyncStatusList): string {
  const rows = list.items.map((row) => [
    row.siteCode,
    row.supServer,
    row.state,
    dash(rowProgress(row)),
    time(row.lastSyncTime),
    dash(row.lastErrorCode),
    String(row.catalogVersion),
    row.linkState,
  ]);
  const s = list.summary;
  return (
    table(
      [
        { header: "SITE" },
        { header: "SERVER", max: 40 },
        { header: "STATE" },
        { header: "PROGRESS", max: 48 },
        { header: "LAST SYNC" },
        { header: "ERROR" },
        { header: "CATALOG", align: "right" },
        { header: "LINK" },
      ],
      rows,
    ) +
    `\n${num(s.inSync)} in sync, ${num(s.inProgress)} in progress, ${num(s.failed)} failed, ` +
    `${num(s.behind)} behind, ${num(s.never)} never synchronized\n`
  );
}

export async function statusCommand(ctx: Context, options: StatusOptions): Promise<number> {
  const query = { state: options.state, parent: options.parent, search: options.search };
  const tty = ctx.io.stdout.isTTY === true;
  for (let first = true; ; first = false) {
    let list: SupSyncStatusList;
    try {
      list = await ctx.api.get("/sup-sync-status", SupSyncStatusList, query);
    } catch (error) {
      if (options.watch && error instanceof Interrupted) return EXIT.ok;
      throw error;
    }
    if (!options.watch) {
      if (ctx.json) ctx.printJson(list);
      else ctx.out(statusTable(list));
      return EXIT.ok;
    }
    if (ctx.json) ctx.printJsonLine(list);
    else {
      const header = `Every ${WATCH_MS / 1000} s: ${time(new Date().toISOString())} (Ctrl-C to stop)\n\n`;
      // On a terminal, redraw in place; into a file or pipe, one table after another.
      ctx.out((tty ? "\x1b[H\x1b[2J" : first ? "" : "\n") + header + statusTable(list));
    }
    await ctx.io.sleep(WATCH_MS);
    if (ctx.io.interrupt.aborted) return EXIT.ok;
  }
}
