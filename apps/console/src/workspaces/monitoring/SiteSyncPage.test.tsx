import type { StatusMessageDto } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe } from "../../test-utils/fixtures.ts";
import { json, mockApi } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { OTHER_RUN_ID, RUN_ID, statusRow, syncRun } from "../../test-utils/sync-fixtures.ts";
import { chartPoints } from "./RunChart.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const failed = syncRun({
  id: OTHER_RUN_ID,
  trigger: "manual",
  state: "failed",
  errorCode: "UPSTREAM_UNREACHABLE",
  queuedAt: "2025-05-02T10:00:00.000Z",
  startedAt: "2025-05-02T10:00:01.000Z",
  finishedAt: "2025-05-02T10:00:31.000Z",
});
const succeeded = syncRun({
  state: "succeeded",
  startedAt: "2025-05-01T10:00:01.000Z",
  finishedAt: "2025-05-01T10:03:54.000Z",
  counts: { new: 130, revised: 2, expired: 1, superseded: 4, removed: 0 },
});
const message = (id: string, severity: StatusMessageDto["severity"], messageId: number): StatusMessageDto => ({
  id,
  siteCode: "CAS",
  runId: RUN_ID,
  messageId,
  severity,
  component: "SMS_WSUS_SYNC_MANAGER",
  time: "2025-05-01T10:00:01.000Z",
  insertionStrings: [],
  text: `Message ${messageId}.`,
});

function serve(me = adminMe, rows = [statusRow({ state: "failed", runId: OTHER_RUN_ID })]) {
  return mockApi({
    "GET /api/auth/me": () => json(200, me),
    "GET /api/sup-sync-status": () => json(200, { items: rows }),
    "GET /api/sync-runs": () => json(200, { items: [failed, succeeded], total: 2, page: 1, pageSize: 50 }),
    "GET /api/status-messages": () =>
      json(200, { items: [message("1", "E", 6703), message("2", "I", 6701)], total: 2, page: 1, pageSize: 200 }),
    [`POST /api/sync-runs/${OTHER_RUN_ID}/retry`]: () => json(202, { runId: RUN_ID }),
    [`GET /api/sync-runs/${RUN_ID}`]: () => json(200, syncRun({ trigger: "retry" })),
    [`GET /api/sync-runs/${RUN_ID}/log`]: () => new Response("", { status: 200 }),
  });
}

describe("A site's synchronization", () => {
  it("shows the run history, a chart of it, status messages by severity, and the actions that apply", async () => {
    const calls = serve();
    const app = renderApp("/monitoring/sites/CAS");
    expect(await screen.findByRole("heading", { level: 1, name: "Synchronization of CAS" })).toBeTruthy();
    const history = await screen.findByRole("table", { name: "Run history" });
    const rows = within(history).getAllByRole("row").slice(1) as HTMLTableRowElement[];
    expect(rows.map((row) => row.getAttribute("data-state"))).toEqual(["failed", "succeeded"]);
    expect(rows[0]!.textContent).toContain("UPSTREAM_UNREACHABLE");
    expect(rows[1]!.textContent).toContain("3 min 53 sec");
    expect(rows[1]!.cells[4]!.textContent).toBe("130");
    expect(calls.some((c) => c.path.startsWith("/api/sync-runs?") && c.path.includes("site=CAS"))).toBe(true);

    const chart = screen.getByRole("img", { name: /2 finished runs/ });
    expect(chart.querySelectorAll("rect[data-run]")).toHaveLength(2);

    const messages = await screen.findByRole("table", { name: "Status messages" });
    expect(within(messages).getAllByRole("row")).toHaveLength(3);
    fireEvent.change(screen.getByLabelText("Severity"), { target: { value: "E" } });
    expect(within(messages).getAllByRole("row")).toHaveLength(2);
    expect(within(messages).getAllByRole("row")[1]!.textContent).toContain("6703");

    const bar = screen.getByRole("toolbar", { name: "Site synchronization actions" });
    const cancel = within(bar).getByRole("button", { name: "Cancel Synchronization" });
    expect(cancel.getAttribute("aria-disabled") === "true" || (cancel as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText("No synchronization of this site is queued or running.")).toBeTruthy();
    fireEvent.click(within(bar).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(app.location().pathname).toBe(`/monitoring/sync-runs/${RUN_ID}`));
  });

  it("says why a child site cannot start a synchronization", async () => {
    serve(adminMe, [statusRow({ siteCode: "P01", parentCode: "CAS", supServer: "p01" })]);
    renderApp("/monitoring/sites/P01");
    await screen.findByRole("table", { name: "Run history" });
    expect(await screen.findByText(/Only the top-level site starts a synchronization/)).toBeTruthy();
  });

  it("charts finished runs oldest first with their changes", () => {
    expect(chartPoints([failed, succeeded, syncRun({ id: "x", finishedAt: null })])).toEqual([
      { id: RUN_ID, at: Date.parse("2025-05-01T10:00:01.000Z"), seconds: 233, changes: 137, failed: false },
      { id: OTHER_RUN_ID, at: Date.parse("2025-05-02T10:00:01.000Z"), seconds: 30, changes: 0, failed: true },
    ]);
  });
});
