import type { StatusMessageDto, SyncRunDto } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setLocale } from "../../i18n/index.ts";
import { adminMe, analystMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { pushEvent } from "../../test-utils/fake-realtime.ts";
import { errorEnvelope, json, mockApi, type Handler } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { OTHER_RUN_ID, RUN_ID, syncRun } from "../../test-utils/sync-fixtures.ts";

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await setLocale("en-US");
});

const PATH = `/monitoring/sync-runs/${RUN_ID}`;
const rowsOf = (element: HTMLElement) => within(element).getAllByRole("row") as HTMLTableRowElement[];
const LOG =
  "Starting Sync $$<SMS_WSUS_SYNC_MANAGER><05-01-2025 10:00:01.000+000><thread=5976 (0x1758)>\n" +
  "sync: WSUS synchronizing categories $$<SMS_WSUS_SYNC_MANAGER><05-01-2025 10:00:02.000+000><thread=5976 (0x1758)>\n";

const message = (n: number, messageId: number, overrides: Partial<StatusMessageDto> = {}): StatusMessageDto => ({
  id: String(n),
  siteCode: "CAS",
  runId: RUN_ID,
  messageId,
  severity: "I",
  component: "SMS_WSUS_SYNC_MANAGER",
  time: `2025-05-01T10:00:0${n}.000Z`,
  insertionStrings: [],
  text: `Message ${messageId}.`,
  ...overrides,
});

function serveRun(run: SyncRunDto, { me = adminMe, routes = {} as Record<string, Handler> } = {}) {
  let messages = [message(1, 6701), message(2, 6704)];
  const calls = mockApi({
    "GET /api/auth/me": () => json(200, me),
    [`GET /api/sync-runs/${RUN_ID}`]: () => json(200, run),
    [`GET /api/sync-runs/${RUN_ID}/log`]: () =>
      new Response(LOG, { status: 200, headers: { "Content-Type": "text/plain; charset=utf-8", "X-Log-Seq": "12" } }),
    "GET /api/status-messages": () => json(200, { items: messages, total: messages.length, page: 1, pageSize: 200 }),
    "GET /api/sync-runs": () => json(200, { items: [run], total: 1, page: 1, pageSize: 50 }),
    ...routes,
  });
  return { calls, setMessages: (next: StatusMessageDto[]) => (messages = next) };
}

describe("Synchronization run", () => {
  it("words the status messages and the failure in the console's language, the run's own error text beside", async () => {
    const { setMessages } = serveRun(
      syncRun({
        state: "failed",
        finishedAt: "2025-05-01T10:01:00.000Z",
        errorCode: "UPSTREAM_AUTH_FAILED",
        errorMessage: "GetCookie failed: the upstream update server refused the cookie.",
      }),
      { me: { ...adminMe, locale: "de-DE" } },
    );
    // 6799: an ID this console has no text for (a newer server) is shown in the server's words.
    setMessages([
      message(1, 6701, { text: "WSUS synchronization started." }),
      message(2, 6703, { severity: "E", text: "WSUS synchronization failed." }),
      message(3, 6799, { severity: "W", text: "Something newer happened." }),
    ]);
    renderApp(PATH);
    const messages = await screen.findByRole("table", { name: "Statusmeldungen" });
    await waitFor(() => expect(rowsOf(messages)).toHaveLength(4));
    expect(
      rowsOf(messages)
        .slice(1)
        .map((row) => row.cells[3]!.textContent),
    ).toEqual([
      "Die WSUS-Synchronisierung wurde gestartet.",
      "Fehler bei der WSUS-Synchronisierung.",
      "Something newer happened.",
    ]);
    const failure = screen.getByText("UPSTREAM_AUTH_FAILED").closest(".run-error")!;
    expect(failure.textContent).toContain("Der Upstream-Updateserver hat die Autorisierung oder das Cookie abgelehnt.");
    expect(failure.querySelector("[lang=en]")?.textContent).toBe(
      "GetCookie failed: the upstream update server refused the cookie.",
    );
  });

  it("shows the run, follows its state, status messages and log live, and unsubscribes when left", async () => {
    const { calls, setMessages } = serveRun(syncRun());
    const app = renderApp(PATH);
    expect(await screen.findByRole("heading", { level: 1, name: "Synchronization run at CAS" })).toBeTruthy();
    expect(document.title).toBe("Synchronization run at CAS – Syncpoint");
    const bar = screen.getByRole("progressbar", { name: "Progress of the synchronization" });
    expect(bar.getAttribute("aria-valuenow")).toBe("40");
    expect(screen.getByRole("main").textContent).toContain("processed 120 of 300");

    // The log loads once the server has the socket in the run's room, then grows by sync-log events.
    const log = await screen.findByRole("log", { name: "wsyncmgr.log of this run" });
    expect(app.realtime.emitted).toEqual([{ event: "subscribe", payload: { runId: RUN_ID } }]);
    const logCalls = () => calls.filter((c) => c.path.startsWith(`/api/sync-runs/${RUN_ID}/log`));
    expect(logCalls()).toHaveLength(1);
    const logRows = () => rowsOf(log).slice(1);
    expect(logRows().map((row) => row.cells[0]!.textContent)).toEqual([
      "Starting Sync",
      "sync: WSUS synchronizing categories",
    ]);
    expect(logRows()[0]!.cells[1]!.textContent).toBe("SMS_WSUS_SYNC_MANAGER");
    expect(logRows()[0]!.cells[3]!.textContent).toBe("5976");
    await pushEvent(app.realtime, "sync-log", {
      seq: 30,
      runId: RUN_ID,
      lines: [
        { seq: 12, time: "2025-05-01T10:00:02.000Z", severity: "info", text: "sync: WSUS synchronizing categories" },
        { seq: 14, time: "2025-05-01T10:00:03.000Z", severity: "error", text: "Sync failed: UssCommunicationError" },
      ],
    });
    expect(logRows().map((row) => [row.cells[0]!.textContent, row.getAttribute("data-severity")])).toEqual([
      ["Starting Sync", "info"],
      ["sync: WSUS synchronizing categories", "info"],
      ["Sync failed: UssCommunicationError", "error"],
    ]);
    expect(logRows()[2]!.className).toContain("log-line--error");

    const messages = screen.getByRole("table", { name: "Status messages" });
    expect(
      rowsOf(messages)
        .slice(1)
        .map((row) => row.cells[1]!.textContent),
    ).toEqual(["6701", "6704"]);

    // The run succeeds: state, progress, actions and the status messages follow.
    setMessages([message(1, 6701), message(2, 6704), message(3, 6702, { insertionStrings: ["CAS", "34"] })]);
    await pushEvent(app.realtime, "sync-run", {
      ...syncRun({
        state: "succeeded",
        phase: "notify",
        percent: 100,
        finishedAt: "2025-05-01T10:03:54.000Z",
        catalogVersionAfter: 1,
        counts: { new: 130, revised: 2, expired: 1, superseded: 4, removed: 0 },
      }),
      seq: 31,
    });
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.queryByRole("button", { name: "Cancel Synchronization" })).toBeNull();
    const main = screen.getByRole("main");
    expect(main.textContent).toContain("Completed");
    expect(main.textContent).toContain("3 min 53 sec");
    expect(main.textContent).toContain("0 → 1");
    expect(main.textContent).toContain("130New");
    await waitFor(() => expect(within(messages).getAllByRole("row")).toHaveLength(4));
    expect(within(messages).getAllByRole("row")[3]!.textContent).toContain("CAS34");

    fireEvent.click(within(screen.getByRole("main")).getByRole("link", { name: "Synchronization Runs" }));
    await screen.findByRole("heading", { level: 1, name: "Synchronization Runs" });
    expect(app.realtime.emitted.at(-1)).toEqual({ event: "unsubscribe", payload: { runId: RUN_ID } });
    expect(logCalls()).toHaveLength(1);
  });

  it("cancels a running synchronization after a confirmation", async () => {
    const { calls } = serveRun(syncRun({ state: "queued", phase: null, percent: 0, startedAt: null }), {
      routes: {
        [`POST /api/sync-runs/${RUN_ID}/cancel`]: () => json(200, syncRun({ state: "canceling", phase: null })),
      },
    });
    renderApp(PATH);
    const cancel = await screen.findByRole("button", { name: "Cancel Synchronization" });
    fireEvent.click(cancel);
    const dialog = screen.getByRole("alertdialog", { name: "Cancel Synchronization" });
    expect(dialog.textContent).toContain("Cancel the synchronization of CAS?");
    expect(calls.some((c) => c.method === "POST")).toBe(false);
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel Synchronization" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(calls.find((c) => c.method === "POST")).toMatchObject({ path: `/api/sync-runs/${RUN_ID}/cancel`, body: {} });
    expect(screen.getByText("Cancellation of the synchronization of CAS was requested.").getAttribute("role")).toBe(
      "status",
    );
    const button = screen.getByRole("button", { name: "Cancel Synchronization" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(descriptionOf(button)).toBe("The synchronization is being canceled.");
    expect(screen.getByRole("main").textContent).toContain("Canceling");
  });

  it("shows the server's refusal in the confirmation", async () => {
    serveRun(syncRun(), {
      routes: {
        [`POST /api/sync-runs/${RUN_ID}/cancel`]: () =>
          errorEnvelope(409, "RUN_NOT_ACTIVE", "The run has already ended."),
      },
    });
    renderApp(PATH);
    fireEvent.click(await screen.findByRole("button", { name: "Cancel Synchronization" }));
    const dialog = screen.getByRole("alertdialog", { name: "Cancel Synchronization" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel Synchronization" }));
    expect((await within(dialog).findByRole("alert")).textContent).toBe("The run has already ended.");
  });

  it("does not let a Read-only Analyst cancel, and says why", async () => {
    serveRun(syncRun(), { me: analystMe });
    renderApp(PATH);
    const button = (await screen.findByRole("button", { name: "Cancel Synchronization" })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(descriptionOf(button)).toBe("Your role (Read-only Analyst) cannot start, cancel or retry synchronizations.");
  });

  it("shows a failed run's error code with its meaning and message", async () => {
    serveRun(
      syncRun({
        state: "failed",
        errorCode: "UPSTREAM_SOAP_FAULT",
        errorMessage: "InvalidCookie: the cookie has expired",
        finishedAt: "2025-05-01T10:00:31.000Z",
      }),
    );
    renderApp(PATH);
    await screen.findByRole("heading", { level: 1, name: "Synchronization run at CAS" });
    const main = screen.getByRole("main");
    expect(main.textContent).toContain("Failed");
    expect(main.textContent).toContain("UPSTREAM_SOAP_FAULT");
    expect(main.textContent).toContain("The upstream update server answered with a SOAP fault.");
    expect(main.textContent).toContain("InvalidCookie: the cookie has expired");
  });

  it("says so when the run does not exist", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      [`GET /api/sync-runs/${OTHER_RUN_ID}`]: () =>
        errorEnvelope(404, "NOT_FOUND", "The synchronization run was not found."),
    });
    renderApp(`/monitoring/sync-runs/${OTHER_RUN_ID}`);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The synchronization run could not be loaded.");
    expect(alert.textContent).toContain("The synchronization run was not found.");
  });
});

describe("Synchronization Runs", () => {
  it("lists the runs with their outcome and counts, each linking to its page, and patches them live", async () => {
    const finished = syncRun({
      id: OTHER_RUN_ID,
      trigger: "schedule",
      fullSync: true,
      state: "failed",
      phase: null,
      errorCode: "UPSTREAM_UNREACHABLE",
      startedAt: "2025-04-30T10:00:00.000Z",
      finishedAt: "2025-04-30T10:01:05.000Z",
      counts: { new: 1200, revised: 3, expired: 2, superseded: 1, removed: 0 },
    });
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, analystMe),
      "GET /api/sync-runs": () => json(200, { items: [syncRun(), finished], total: 2, page: 1, pageSize: 50 }),
    });
    const app = renderApp("/monitoring/sync-runs?site=cas");
    const table = await screen.findByRole("table", { name: "Synchronization Runs" });
    expect(calls.filter((c) => c.path.startsWith("/api/sync-runs")).map((c) => c.path)).toEqual([
      "/api/sync-runs?page=1&pageSize=50&site=CAS",
    ]);
    expect(screen.getByText("2 synchronization runs of CAS")).toBeTruthy();
    const rows = rowsOf(table).slice(1);
    const cells = (row: HTMLTableRowElement) => [...row.cells].map((cell) => cell.textContent);
    expect(cells(rows[1]!).slice(1)).toEqual([
      "CAS",
      "Schedule",
      "Full",
      "Failed",
      expect.any(String),
      "1 min 5 sec",
      "1,200",
      "3",
      "2",
      "1",
      "0",
      "UPSTREAM_UNREACHABLE",
    ]);
    expect(within(rows[1]!).getByRole("link").getAttribute("href")).toBe(`/monitoring/sync-runs/${OTHER_RUN_ID}`);
    expect(cells(rows[0]!)[4]).toBe("In progress 40%");

    await pushEvent(app.realtime, "sync-run", { ...syncRun({ percent: 75 }), seq: 5 });
    expect(cells(rowsOf(table)[1]!)[4]).toBe("In progress 75%");
    expect(calls.filter((c) => c.path.startsWith("/api/sync-runs"))).toHaveLength(1);
  });

  it("finds text in the log with next and previous match, and downloads it as wsyncmgr-<site>-<run>.log", async () => {
    const failedLog =
      LOG +
      "Sync failed: UssCommunicationError $$<SMS_WSUS_SYNC_MANAGER><05-01-2025 10:00:03.000+000><thread=5976 (0x1758)>\n" +
      "Sync failed. Will retry in 60 minutes $$<SMS_WSUS_SYNC_MANAGER><05-01-2025 10:00:04.000+000><thread=5976 (0x1758)>\n";
    serveRun(syncRun({ state: "failed", errorCode: "UPSTREAM_UNREACHABLE", finishedAt: "2025-05-01T10:00:04.000Z" }), {
      routes: {
        [`GET /api/sync-runs/${RUN_ID}/log`]: () =>
          new Response(failedLog, { status: 200, headers: { "Content-Type": "text/plain", "X-Log-Seq": "4" } }),
      },
    });
    renderApp(PATH);
    const log = await screen.findByRole("log", { name: "wsyncmgr.log of this run" });
    await waitFor(() => expect(rowsOf(log)).toHaveLength(5));
    fireEvent.change(screen.getByRole("searchbox", { name: "Find" }), { target: { value: "sync failed" } });
    const search = screen.getByRole("search", { name: "Find in the log" });
    expect(within(search).getByRole("status").textContent).toBe("Match 1 of 2");
    const current = () => log.querySelector("[data-current-match]")!.querySelector("td")!.textContent;
    expect(current()).toBe("Sync failed: UssCommunicationError");
    fireEvent.click(screen.getByRole("button", { name: "Next match" }));
    expect(current()).toBe("Sync failed. Will retry in 60 minutes");
    expect(within(search).getByRole("status").textContent).toBe("Match 2 of 2");
    fireEvent.click(screen.getByRole("button", { name: "Next match" }));
    expect(current()).toBe("Sync failed: UssCommunicationError");
    fireEvent.click(screen.getByRole("button", { name: "Previous match" }));
    expect(current()).toBe("Sync failed. Will retry in 60 minutes");
    fireEvent.change(screen.getByRole("searchbox", { name: "Find" }), { target: { value: "nothing like it" } });
    expect(within(search).getByRole("status").textContent).toBe("No match");

    const blobs: Blob[] = [];
    const saved: string[] = [];
    vi.stubGlobal(
      "URL",
      Object.assign(URL, {
        createObjectURL: (blob: Blob) => (blobs.push(blob), "blob:log"),
        revokeObjectURL: () => {},
      }),
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    fireEvent.click(screen.getByRole("button", { name: "Download .log" }));
    await waitFor(() => expect(saved).toEqual([`wsyncmgr-CAS-${RUN_ID}.log`]));
    expect(await blobs[0]!.text()).toBe(failedLog);
    click.mockRestore();
  });

  it("retries a failed run and opens the new one", async () => {
    const { calls } = serveRun(syncRun({ state: "failed", errorCode: "UPSTREAM_UNREACHABLE" }), {
      routes: {
        [`POST /api/sync-runs/${RUN_ID}/retry`]: () => json(202, { runId: OTHER_RUN_ID }),
        [`GET /api/sync-runs/${OTHER_RUN_ID}`]: () => json(200, syncRun({ id: OTHER_RUN_ID, trigger: "retry" })),
        [`GET /api/sync-runs/${OTHER_RUN_ID}/log`]: () => new Response("", { status: 200 }),
      },
    });
    const app = renderApp(PATH);
    const retry = await screen.findByRole("button", { name: "Retry" });
    fireEvent.click(retry);
    await waitFor(() => expect(app.location().pathname).toBe(`/monitoring/sync-runs/${OTHER_RUN_ID}`));
    expect(calls.some((c) => c.method === "POST" && c.path === `/api/sync-runs/${RUN_ID}/retry`)).toBe(true);
  });

  it("offers no Retry to a role without sync.run, and says why", async () => {
    serveRun(syncRun({ state: "failed" }), { me: analystMe });
    renderApp(PATH);
    const retry = await screen.findByRole("button", { name: "Retry" });
    expect((retry as HTMLButtonElement).disabled || retry.getAttribute("aria-disabled") === "true").toBe(true);
  });
});
