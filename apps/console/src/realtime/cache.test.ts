import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { queryKeys } from "../api/query-keys.ts";
import type { RunLog } from "../api/run-log.ts";
import { OTHER_RUN_ID, RUN_ID, statusRow, syncRun } from "../test-utils/sync-fixtures.ts";
import type { AlertListView } from "../api/alerts.ts";
import { alert } from "../test-utils/settings-fixtures.ts";
import {
  applyAlert,
  applyServerEvent,
  applySupStatus,
  applySyncLog,
  applySyncRun,
  invalidateLiveKeys,
  mergeAlert,
  mergeSupStatus,
  type AlertMemory,
  type RunMemory,
  type SupStatusListView,
  type SyncRunPageView,
} from "./cache.ts";

const cas = statusRow();
const p01 = statusRow({ siteCode: "P01", parentCode: "CAS", supServer: "p01-sup01.corp.contoso.com" });
const list = (): SupStatusListView => ({ items: [cas, p01] });

/** A client whose queries never fetch by themselves: what is invalidated shows as `isInvalidated`. */
function cacheWith(entries: [readonly unknown[], unknown][]): QueryClient {
  const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
  for (const [key, data] of entries) client.setQueryData(key, data);
  return client;
}
const invalidated = (client: QueryClient, key: readonly unknown[]) =>
  client.getQueryCache().find({ queryKey: key, exact: true })?.state.isInvalidated ?? false;

describe("sup-status events", () => {
  it("replace the row of the same software update point and leave the others as they were", () => {
    const before = list();
    const event = { ...p01, state: "running" as const, phase: "updates" as const, percent: 42, seq: 7 };
    const merged = mergeSupStatus(before, event);
    expect(merged.outcome).toBe("replaced");
    expect(merged.list?.items.map((row) => [row.siteCode, row.state])).toEqual([
      ["CAS", "never"],
      ["P01", "running"],
    ]);
    expect(merged.list?.items[0]).toBe(cas);
    expect(merged.list?.items[1]).toMatchObject({ percent: 42, seq: 7 });
    // The cached list is not changed in place.
    expect(before.items[1]).toBe(p01);
  });

  it("are ignored when older than (or as old as) the event the row already shows", () => {
    const client = cacheWith([[queryKeys.supSyncStatus(), list()]]);
    expect(applySupStatus(client, { ...cas, state: "running", percent: 60, seq: 10 })).toBe("replaced");
    expect(applySupStatus(client, { ...cas, state: "queued", percent: 0, seq: 9 })).toBe("stale");
    expect(applySupStatus(client, { ...cas, state: "queued", percent: 0, seq: 10 })).toBe("stale");
    const rows = client.getQueryData<SupStatusListView>(queryKeys.supSyncStatus())!.items;
    expect(rows[0]).toMatchObject({ state: "running", percent: 60, seq: 10 });
    expect(applySupStatus(client, { ...cas, state: "succeeded", percent: 100, seq: 11 })).toBe("replaced");
    expect(client.getQueryData<SupStatusListView>(queryKeys.supSyncStatus())!.items[0]?.state).toBe("succeeded");
    expect(invalidated(client, queryKeys.supSyncStatus())).toBe(false);
  });

  it("do not create a list nobody fetched, and make a list without the row refetch", () => {
    const empty = cacheWith([]);
    expect(applySupStatus(empty, { ...cas, seq: 1 })).toBe("uncached");
    expect(empty.getQueryData(queryKeys.supSyncStatus())).toBeUndefined();

    const client = cacheWith([[queryKeys.supSyncStatus(), list()]]);
    const s03 = statusRow({ siteCode: "S03", parentCode: "P01", supServer: "s03-sup01.corp.contoso.com" });
    expect(applySupStatus(client, { ...s03, seq: 2 })).toBe("unknown");
    expect(invalidated(client, queryKeys.supSyncStatus())).toBe(true);
    expect(client.getQueryData<SupStatusListView>(queryKeys.supSyncStatus())!.items).toHaveLength(2);
  });

  it("drop a removed site's row from every list, and make filtered lists refetch on other changes", () => {
    const filteredKey = [...queryKeys.supSyncStatus(), { state: "never" }];
    const client = cacheWith([
      [queryKeys.supSyncStatus(), list()],
      [filteredKey, list()],
    ]);
    expect(applySupStatus(client, { ...p01, removed: true, seq: 3 })).toBe("replaced");
    expect(client.getQueryData<SupStatusListView>(queryKeys.supSyncStatus())!.items.map((r) => r.siteCode)).toEqual([
      "CAS",
    ]);
    expect(client.getQueryData<SupStatusListView>(filteredKey)!.items.map((r) => r.siteCode)).toEqual(["CAS"]);
    expect(invalidated(client, queryKeys.supSyncStatus())).toBe(false);
    expect(invalidated(client, filteredKey)).toBe(false);
    // A removed site the list does not have: nothing to do.
    expect(applySupStatus(client, { ...p01, removed: true, seq: 4 })).toBe("stale");
    // Progress within the same state: patched in place, no refetch.
    expect(applySupStatus(client, { ...cas, percent: 0, seq: 5 })).toBe("replaced");
    expect(invalidated(client, filteredKey)).toBe(false);
    expect(client.getQueryData<SupStatusListView>(filteredKey)!.items[0]?.seq).toBe(5);
    // A new state may move the row into or out of the filter: the server decides again.
    expect(applySupStatus(client, { ...cas, state: "running", seq: 6 })).toBe("replaced");
    expect(invalidated(client, filteredKey)).toBe(true);
  });
});

describe("sync-run events", () => {
  const listKey = queryKeys.syncRunList({ page: 1, pageSize: 50 });
  const page = (...items: ReturnType<typeof syncRun>[]): SyncRunPageView => ({
    items,
    total: items.length,
    page: 1,
    pageSize: 50,
  });

  it("replace a cached run and patch it in cached lists; a progress event invalidates no list", () => {
    const other = syncRun({ id: OTHER_RUN_ID, state: "succeeded", phase: null });
    const client = cacheWith([
      [queryKeys.syncRun(RUN_ID), syncRun({ percent: 40 })],
      [listKey, page(syncRun({ percent: 40 }), other)],
      [queryKeys.supSyncStatus(), list()],
    ]);
    const memory: RunMemory = new Map();
    applySyncRun(client, { ...syncRun({ percent: 55, processed: 165 }), seq: 3 }, memory);
    expect(client.getQueryData(queryKeys.syncRun(RUN_ID))).toMatchObject({ percent: 55, processed: 165, seq: 3 });
    const listed = client.getQueryData<SyncRunPageView>(listKey)!;
    expect(listed.items.map((run) => run.percent)).toEqual([55, 40]);
    expect(listed.items[1]).toBe(other);
    expect(invalidated(client, listKey)).toBe(false);
    // Never the status list: sup-status events keep it.
    expect(invalidated(client, queryKeys.supSyncStatus())).toBe(false);

    // An older event changes nothing.
    applySyncRun(client, { ...syncRun({ percent: 10 }), seq: 2 }, memory);
    expect(client.getQueryData(queryKeys.syncRun(RUN_ID))).toMatchObject({ percent: 55 });
  });

  it("invalidate the run lists on a new run or a new state, and do not cache a run nobody opened", () => {
    const client = cacheWith([[listKey, page(syncRun({ id: OTHER_RUN_ID, state: "succeeded" }))]]);
    const memory: RunMemory = new Map();
    applySyncRun(client, { ...syncRun({ state: "queued", phase: null, percent: 0 }), seq: 1 }, memory);
    expect(client.getQueryData(queryKeys.syncRun(RUN_ID))).toBeUndefined();
    expect(invalidated(client, listKey)).toBe(true);

    client.setQueryData(listKey, page(syncRun({ state: "queued" })));
    expect(invalidated(client, listKey)).toBe(false);
    applySyncRun(client, { ...syncRun({ state: "queued", percent: 0 }), seq: 2 }, memory);
    expect(invalidated(client, listKey)).toBe(false);
    applySyncRun(client, { ...syncRun({ state: "running" }), seq: 3 }, memory);
    expect(invalidated(client, listKey)).toBe(true);
  });

  it("refresh the run's status messages on a new phase, and the catalog when the run succeeds", () => {
    const messagesKey = queryKeys.statusMessagesOf({ runId: RUN_ID, sort: "time", page: 1, pageSize: 200 });
    const otherMessagesKey = queryKeys.statusMessagesOf({ runId: OTHER_RUN_ID, sort: "time", page: 1, pageSize: 200 });
    const updatesKey = queryKeys.softwareUpdatesPage({ page: 1, pageSize: 50, sort: "-releaseDate" });
    const client = cacheWith([
      [queryKeys.syncRun(RUN_ID), syncRun({ phase: "updates" })],
      [messagesKey, { items: [], total: 0, page: 1, pageSize: 200 }],
      [otherMessagesKey, { items: [], total: 0, page: 1, pageSize: 200 }],
      [updatesKey, { items: [], total: 0, page: 1, pageSize: 50 }],
    ]);
    const memory: RunMemory = new Map();
    applySyncRun(client, { ...syncRun({ phase: "updates", percent: 50 }), seq: 1 }, memory);
    expect(invalidated(client, messagesKey)).toBe(false);
    applySyncRun(client, { ...syncRun({ phase: "apply", percent: 80 }), seq: 2 }, memory);
    expect(invalidated(client, messagesKey)).toBe(true);
    expect(invalidated(client, otherMessagesKey)).toBe(false);
    expect(invalidated(client, updatesKey)).toBe(false);
    applySyncRun(client, { ...syncRun({ state: "succeeded", phase: "notify", percent: 100 }), seq: 3 }, memory);
    expect(invalidated(client, updatesKey)).toBe(true);
  });
});

describe("sync-log events", () => {
  const line = (seq: number, text: string, severity: "info" | "warning" | "error" = "info") => ({
    seq,
    time: "2025-05-01T10:00:05.000Z",
    severity,
    text,
  });

  it("append the lines newer than the log's last one", () => {
    const log: RunLog = { lines: [{ text: "Starting Sync", severity: "info" }], lastSeq: 100 };
    const client = cacheWith([[queryKeys.syncRunLog(RUN_ID), log]]);
    expect(
      applySyncLog(client, {
        seq: 9,
        runId: RUN_ID,
        lines: [line(100, "Starting Sync"), line(101, "sync: WSUS synchronizing categories")],
      }),
    ).toBe(true);
    applySyncLog(client, {
      seq: 10,
      runId: RUN_ID,
      lines: [line(101, "duplicate"), line(105, "Sync failed", "error")],
    });
    const after = client.getQueryData<RunLog>(queryKeys.syncRunLog(RUN_ID))!;
    expect(after.lines.map((l) => [l.text, l.severity])).toEqual([
      ["Starting Sync", "info"],
      ["sync: WSUS synchronizing categories", "info"],
      ["Sync failed", "error"],
    ]);
    expect(after.lastSeq).toBe(105);
  });

  it("leave alone a log nobody asked for", () => {
    const client = cacheWith([]);
    expect(applySyncLog(client, { seq: 1, runId: RUN_ID, lines: [line(1, "x")] })).toBe(false);
    expect(client.getQueryData(queryKeys.syncRunLog(RUN_ID))).toBeUndefined();
  });
});

describe("alert events", () => {
  const open = { filter: "open", page: 1, pageSize: 50 } as const;
  const activeOnly = { filter: "active", page: 1, pageSize: 50 } as const;
  const listOf = (...items: ReturnType<typeof alert>[]): AlertListView => ({
    items,
    total: items.length,
    page: 1,
    pageSize: 50,
  });
  const first = alert(1);
  const second = alert(2);

  it("insert, replace and remove rows of the open list, newest raised first", () => {
    const inserted = mergeAlert(open, listOf(first), { ...second, seq: 1 });
    expect(inserted.outcome).toBe("patched");
    const list = (inserted as { list: AlertListView }).list;
    expect(list.items.map((a) => a.id)).toEqual([second.id, first.id]);
    expect(list.total).toBe(2);

    const acknowledged = { ...first, state: "acknowledged" as const, updatedAt: "2026-11-24T09:00:00.000Z", seq: 2 };
    const replaced = mergeAlert(open, list, acknowledged) as { list: AlertListView };
    expect(replaced.list.items[1]).toMatchObject({ state: "acknowledged", seq: 2 });

    const canceled = { ...second, state: "canceled" as const, updatedAt: "2026-11-24T09:30:00.000Z", seq: 3 };
    const removed = mergeAlert(open, replaced.list, canceled) as { list: AlertListView };
    expect(removed.list.items.map((a) => a.id)).toEqual([first.id]);
    expect(removed.list.total).toBe(1);
    // An alert that is neither there nor belongs there changes nothing.
    expect(mergeAlert(open, removed.list, canceled).outcome).toBe("unchanged");
    // Nor does an older version of one that is.
    expect(mergeAlert(open, replaced.list, { ...first, seq: 1 }).outcome).toBe("unchanged");
  });

  it("patch a paged list in place, and make it refetch when an alert joins or leaves it", () => {
    const list = listOf(first);
    const newer = { ...first, message: "still failing", updatedAt: "2026-11-24T09:00:00.000Z", seq: 4 };
    expect(mergeAlert(activeOnly, list, newer)).toMatchObject({ outcome: "patched" });
    expect(mergeAlert(activeOnly, list, { ...second, seq: 5 }).outcome).toBe("refetch");
    expect(mergeAlert(activeOnly, list, { ...newer, state: "acknowledged" }).outcome).toBe("refetch");
    expect(mergeAlert(activeOnly, list, { ...second, state: "canceled", seq: 6 }).outcome).toBe("unchanged");
  });

  it("update every cached list and the active count, and ignore what the socket already told newer", () => {
    const pagedKey = queryKeys.alertList(activeOnly);
    const client = cacheWith([
      [queryKeys.alertList(open), listOf(first)],
      [pagedKey, listOf(first)],
      [queryKeys.activeAlertCount(), 1],
    ]);
    const memory: AlertMemory = new Map();
    const cleared = { ...first, state: "canceled" as const, updatedAt: "2026-11-24T09:00:00.000Z", seq: 7 };
    applyAlert(client, cleared, memory);
    expect(client.getQueryData<AlertListView>(queryKeys.alertList(open))!.items).toEqual([]);
    expect(invalidated(client, pagedKey)).toBe(true);
    expect(invalidated(client, queryKeys.activeAlertCount())).toBe(true);
    // A late event from before the cancel: the open list does not get the alert back.
    applyAlert(client, { ...first, seq: 6 }, memory);
    expect(client.getQueryData<AlertListView>(queryKeys.alertList(open))!.items).toEqual([]);
  });
});

describe("a reconnect", () => {
  it("invalidates the status list, the runs and status messages, but leaves logs to the renewed subscriptions", async () => {
    const keys = [
      queryKeys.supSyncStatus(),
      queryKeys.syncRunList({ page: 1, pageSize: 50 }),
      queryKeys.syncRun(RUN_ID),
      queryKeys.statusMessagesOf({ runId: RUN_ID, sort: "time", page: 1, pageSize: 200 }),
      queryKeys.softwareUpdatesPage({ page: 1, pageSize: 50, sort: "-releaseDate" }),
      queryKeys.alertList({ filter: "open", page: 1, pageSize: 50 }),
      queryKeys.activeAlertCount(),
    ];
    const log = queryKeys.syncRunLog(RUN_ID);
    const client = cacheWith([...keys.map((key) => [key, { items: [] }] as [readonly unknown[], unknown]), [log, {}]]);
    await invalidateLiveKeys(client);
    expect(keys.map((key) => invalidated(client, key))).toEqual([true, true, true, true, true, true, true]);
    expect(invalidated(client, log)).toBe(false);
    expect(invalidated(client, queryKeys.me())).toBe(false);
  });
});

describe("applyServerEvent", () => {
  it("routes events by name and drops payloads without a seq", () => {
    const client = cacheWith([[queryKeys.supSyncStatus(), list()]]);
    const memory: RunMemory = new Map();
    applyServerEvent(client, "sup-status", { ...cas, state: "queued" }, memory);
    expect(client.getQueryData<SupStatusListView>(queryKeys.supSyncStatus())!.items[0]?.state).toBe("never");
    applyServerEvent(client, "sup-status", { ...cas, state: "queued", seq: 1 }, memory);
    expect(client.getQueryData<SupStatusListView>(queryKeys.supSyncStatus())!.items[0]?.state).toBe("queued");
    applyServerEvent(client, "alert", { seq: 2, id: "a" }, memory);
    applyServerEvent(client, "sync-run", { ...syncRun(), seq: 3 }, memory);
    expect(memory.get(RUN_ID)).toEqual({ state: "running", phase: "updates" });
  });
});
