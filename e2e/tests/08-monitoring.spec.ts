// Monitoring, the failure flow: a fault injected at the upstream makes a synchronization fail — the CAS row turns
// Failed live with its error code, and an alert appears —; with the fault removed, Retry from the run page recovers
// (Completed). Then the site's page shows both runs, the log viewer finds "Sync failed" and downloads the .log, and
// the hierarchy view shows CAS colored by its state. Screenshots 70–75 under e2e/artifacts.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

const upstream = () => process.env.SYNCPOINT_E2E_UPSTREAM_URL!;
const STATUS = "Software Update Point Synchronization Status";

async function openNode(page: Page, workspace: string, node: string) {
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: workspace }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: node, exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: node })).toBeVisible();
}

// Whatever happens here, the next spec finds the upstream healthy.
test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext();
  await api.delete(`${upstream()}/admin/faults`);
  await api.dispose();
});

test("a failed synchronization: live Failed row and alert, Retry recovers, history, log, hierarchy", async ({
  page,
}) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openNode(page, "Monitoring", STATUS);
  const table = page.getByRole("table", { name: STATUS });
  await expect(table).toBeVisible();
  // The table fits 1280×720: no horizontal scrolling.
  const frame = page.locator(".table-frame").filter({ has: table });
  expect(await frame.evaluate((element) => element.scrollWidth - element.clientWidth)).toBeLessThanOrEqual(0);
  const cas = table.locator('tr[data-site-code="CAS"]');
  // A run from an earlier spec may still be under way (its children's cascade): wait until CAS has none.
  await expect(cas).not.toHaveAttribute("data-state", /queued|running|canceling/, { timeout: 30_000 });

  // A fault no retry can fix: the run fails at once.
  const fault = await page.request.post(`${upstream()}/admin/faults`, {
    data: { operation: "*", kind: "soap-fault", errorCode: "IncompatibleProtocolVersion" },
  });
  expect(fault.status()).toBe(201);
  const started = await page.request.post("/api/sync", { data: {} });
  expect(started.status(), await started.text()).toBe(202);
  const { runId: failedRunId } = (await started.json()) as { runId: string };
  // No reload: the sup-status event turns the row.
  await expect(cas).toHaveAttribute("data-state", "failed", { timeout: 20_000 });
  await expect(cas).toContainText("Failed");
  await expect(cas).toContainText("UPSTREAM_SOAP_FAULT");
  await page.screenshot({ path: artifact("70-status-failed") });

  await openNode(page, "Monitoring", "Alerts");
  await expect(
    page.getByRole("row").filter({ hasText: "CAS: software update synchronization failed" }).first(),
  ).toBeVisible();
  await page.screenshot({ path: artifact("71-alert-raised") });

  // The fault is gone; Retry from the failed run's page queues a new run, which completes.
  expect((await page.request.delete(`${upstream()}/admin/faults`)).ok()).toBe(true);
  await openNode(page, "Monitoring", STATUS);
  await cas.getByRole("link", { name: "Latest run" }).click();
  await expect(page).toHaveURL(new RegExp(`/monitoring/sync-runs/${failedRunId}$`));
  await page
    .getByRole("toolbar", { name: "Synchronization run actions" })
    .getByRole("button", { name: "Retry" })
    .click();
  await expect(page).not.toHaveURL(new RegExp(`/monitoring/sync-runs/${failedRunId}$`));
  const retryRunId = page.url().split("/").at(-1)!;
  await expect(page.locator(".sync-state").first()).toHaveText("Completed", { timeout: 30_000 });
  await page.screenshot({ path: artifact("72-retry-completed") });

  // The site's page: both runs in the history, the chart, the status messages.
  await openNode(page, "Monitoring", STATUS);
  await expect(cas).toHaveAttribute("data-state", "succeeded");
  await cas.getByRole("link", { name: "CAS", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Synchronization of CAS" })).toBeVisible();
  const history = page.getByRole("table", { name: "Run history" });
  await expect(history.locator(`tr[data-run-id="${failedRunId}"]`)).toHaveAttribute("data-state", "failed");
  await expect(history.locator(`tr[data-run-id="${retryRunId}"]`)).toHaveAttribute("data-state", "succeeded");
  await expect(history.locator(`tr[data-run-id="${failedRunId}"]`)).toContainText("UPSTREAM_SOAP_FAULT");
  await expect(page.getByRole("img", { name: /finished runs?/ })).toBeVisible();
  await page.screenshot({ path: artifact("73-site-history"), fullPage: true });

  // The failed run's log: find "Sync failed", download the .log.
  await history.locator(`tr[data-run-id="${failedRunId}"]`).getByRole("link").click();
  const log = page.getByRole("log", { name: "wsyncmgr.log of this run" });
  await expect(log).toContainText("Sync failed");
  await page.getByRole("searchbox", { name: "Find" }).fill("Sync failed");
  await expect(page.getByRole("search", { name: "Find in the log" }).getByRole("status")).toHaveText(
    /^Match 1 of \d+$/,
  );
  await expect(log.locator("[data-current-match]")).toContainText("Sync failed");
  await expect(log.locator("[data-current-match]")).toHaveAttribute("data-severity", "error");
  const downloading = page.waitForEvent("download");
  await page.getByRole("button", { name: "Download .log" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`wsyncmgr-CAS-${failedRunId}.log`);
  expect(readFileSync((await download.path())!, "utf8")).toContain("Sync failed");
  await page.screenshot({ path: artifact("74-log-search") });

  // The hierarchy: CAS colored by its (now completed) state.
  await openNode(page, "Monitoring", "Hierarchy");
  const casBox = page.getByRole("tree", { name: "Sites by synchronization state" }).locator('[data-site-code="CAS"]');
  await expect(casBox).toHaveAttribute("data-state", "succeeded");
  await expect(casBox).toHaveClass(/hierarchy-site--(inSync|behind)/);
  await page.screenshot({ path: artifact("75-hierarchy") });
});
