import {
  IdParams,
  StartSyncRequest,
  StartSyncResponse,
  StatusMessagePage,
  StatusMessagesQuery,
  SupSyncStatusList,
  SupSyncStatusQuery,
  SyncLogQuery,
  SyncRunDto,
  SyncRunPage,
  SyncRunsQuery,
} from "@syncpoint/contracts";
import { formatLogLine } from "@syncpoint/sync";
import { defineRoute } from "../http/route.ts";
import { notFound } from "../http/errors.ts";
import { listStatusMessages } from "../services/status-messages.ts";
import { cancelRun, getRun, listRuns, retryRun, startTopLevelSync } from "../services/sync-runs.ts";
import { supStatusList } from "../services/sync-status.ts";

export const syncRoutes = [
  defineRoute({
    method: "post",
    path: "/sync",
    access: "sync.run",
    audit: { action: "sync.start" },
    summary:
      "Synchronize Software Updates at the top-level site (202 with the run; 409 while one is queued or running).",
    body: StartSyncRequest,
    response: StartSyncResponse,
    handler: async ({ body, principal, ctx, audit }) => ({
      status: 202,
      body: await startTopLevelSync(ctx, principal!, body, audit),
    }),
  }),
  defineRoute({
    method: "get",
    path: "/sync-runs",
    access: "read",
    summary: "Synchronization runs, newest first; filter by site.",
    query: SyncRunsQuery,
    response: SyncRunPage,
    handler: async ({ query, ctx }) => ({ body: await listRuns(ctx, query) }),
  }),
  defineRoute({
    method: "get",
    path: "/sync-runs/:id",
    access: "read",
    summary: "One run: state, phase, progress, counts, error, times.",
    params: IdParams,
    response: SyncRunDto,
    handler: async ({ params, ctx }) => ({ body: await getRun(ctx, params.id) }),
  }),
  defineRoute({
    method: "get",
    path: "/sync-runs/:id/log",
    access: "read",
    summary:
      "The run's log in the wsyncmgr.log line format (text/plain); `after` returns only lines with a larger seq.",
    params: IdParams,
    query: SyncLogQuery,
    handler: async ({ params, query, ctx, res }) => {
      const run = await ctx.prisma.syncRun.findUnique({ where: { id: params.id }, select: { id: true } });
      if (!run) throw notFound("The synchronization run");
      const lines = await ctx.prisma.syncLogLine.findMany({
        where: { runId: params.id, ...(query.after !== undefined ? { id: { gt: BigInt(query.after) } } : {}) },
        orderBy: { id: "asc" },
      });
      const last = lines.at(-1);
      if (last) res.setHeader("X-Log-Seq", String(last.id));
      res
        .type("text/plain; charset=utf-8")
        .send(lines.map((l) => formatLogLine(l.text, l.time, l.thread) + "\n").join(""));
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/sync-runs/:id/cancel",
    access: "sync.run",
    audit: { action: "sync.cancel" },
    summary: "Cancel a queued or running synchronization; the catalog stays as it was.",
    params: IdParams,
    response: SyncRunDto,
    handler: async ({ params, ctx, audit }) => ({ body: await cancelRun(ctx, params.id, audit) }),
  }),
  defineRoute({
    method: "post",
    path: "/sync-runs/:id/retry",
    access: "sync.run",
    audit: { action: "sync.retry" },
    summary:
      "Retry a failed or canceled run of any site (a new run with trigger retry); 409 while the site has one active.",
    params: IdParams,
    response: StartSyncResponse,
    handler: async ({ params, principal, ctx, audit }) => ({
      status: 202,
      body: await retryRun(ctx, params.id, principal!, audit),
    }),
  }),
  defineRoute({
    method: "get",
    path: "/sup-sync-status",
    access: "read",
    summary:
      "Software Update Point Synchronization Status: one row per software update point, filtered by state, parent site or a site code / server prefix, with a summary of the whole hierarchy.",
    query: SupSyncStatusQuery,
    response: SupSyncStatusList,
    handler: async ({ query, ctx }) => ({ body: await supStatusList(ctx, query) }),
  }),
  defineRoute({
    method: "get",
    path: "/status-messages",
    access: "read",
    summary: "Status messages of SMS_WSUS_SYNC_MANAGER, newest first; filter by site or run.",
    query: StatusMessagesQuery,
    response: StatusMessagePage,
    handler: async ({ query, ctx }) => ({ body: await listStatusMessages(ctx, query) }),
  }),
];
