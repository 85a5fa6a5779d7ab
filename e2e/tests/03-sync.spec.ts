// The first real sync through every part: Synchronize Software Updates in the console, a worker syncing the CAS from
// the embedded upstream over MS-WSUSSS, the status row moving Queued → In progress → Completed by socket events alone,
// and the synced updates in All Software Updates.
import { expect, test, type Page, type Request } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });

const upstream = () => process.env.SYNCPOINT_E2E_UPSTREAM_URL!;

async function upstreamAdmin(page: Page, method: "post" | "delete", path: string, data?: unknown) {
  const response = await page.request[method](upstream() + path, data === undefined ? {} : { data });
  expect(response.ok()).toBe(true);
}

test("synchronize from All Software Updates and watch the status row change live", async ({ page }) => {
  const statusRequests: Request[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/sup-sync-status") statusRequests.push(request);
  });
  await signIn(page, "admin", ADMIN_PASSWORD);
  const status = page.getByRole("table", { name: "Software Update Point Synchronization Status" });
  const cas = status.locator('tr[data-site-code="CAS"]');
  await expect(cas).toContainText("Never synchronized");
  expect(statusRequests).toHaveLength(1);
  await page.screenshot({ path: artifact("10-status-before") });

  // Slow the upstream down so that "In progress" lasts long enough to be seen.
  await upstreamAdmin(page, "post", "/admin/faults", { operation: "GetUpdateData", kind: "latency", latencyMs: 400 });

  const workspaces = page.getByRole("navigation", { name: "Workspaces" });
  const pane = page.getByRole("navigation", { name: "Navigation pane" });
  await workspaces.getByRole("link", { name: "Software Library" }).click();
  await pane.getByRole("link", { name: "All Software Updates" }).click();
  await page.getByRole("button", { name: "Synchronize Software Updates" }).click();
  const confirm = page.getByRole("dialog", { name: "Synchronize Software Updates" });
  await expect(confirm).toBeVisible();
  await page.screenshot({ path: artifact("11-synchronize-confirmation") });
  await confirm.getByRole("button", { name: "Yes" }).click();
  const started = page.getByRole("status").filter({ hasText: "Synchronization started" });
  await expect(started).toBeVisible();
  const runLink = started.getByRole("link", { name: "View the run" });
  const runHref = await runLink.getAttribute("href");
  expect(runHref).toMatch(/^\/monitoring\/sync-runs\/[0-9a-f-]{36}$/);

  // A second request while it runs is refused, and the console says so with a link to that run.
  await page.getByRole("button", { name: "Synchronize Software Updates" }).click();
  await page.getByRole("dialog", { name: "Synchronize Software Updates" }).getByRole("button", { name: "Yes" }).click();
  const already = page.getByRole("alert").filter({ hasText: "already" });
  await expect(already).toBeVisible();
  await expect(already.getByRole("link", { name: "View the run" })).toHaveAttribute("href", runHref!);

  await workspaces.getByRole("link", { name: "Monitoring" }).click();
  await pane.getByRole("link", { name: "Software Update Point Synchronization Status" }).click();
  await expect(cas).toContainText("In progress", { timeout: 20_000 });
  await expect(cas.getByRole("progressbar")).toBeVisible();
  await page.screenshot({ path: artifact("12-status-during") });
  await expect(cas).toContainText("Completed", { timeout: 90_000 });
  await expect(cas).toContainText("1"); // catalog version
  await page.screenshot({ path: artifact("13-status-after") });

  // The row changed by socket events alone: the list was fetched once, at the first page load.
  expect(statusRequests).toHaveLength(1);
  await upstreamAdmin(page, "delete", "/admin/faults");
});

test("All Software Updates lists the synced updates with server-side paging, and the digest matches the upstream", async ({
  page,
}) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.goto("/software-library/software-updates/all");
  const table = page.getByRole("table", { name: "All Software Updates" });
  await expect(table.getByRole("row")).not.toHaveCount(1);
  const settings = await (await page.request.get("/api/sup-settings")).json();
  const filter = `products=${settings.products.join(",")}&classifications=${settings.classifications.join(",")}`;
  const ours = await (await page.request.get(`/api/sites/CAS/catalog/digest?${filter}`)).json();
  const theirs = await (await page.request.get(`${upstream()}/admin/digest?${filter}`)).json();
  expect(ours).toEqual(theirs);
  expect(ours.count).toBeGreaterThan(50);
  await expect(page.getByText(new RegExp(`${ours.count} software updates`))).toBeVisible();
  await expect(page.getByText(/Page 1 of \d+/)).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Article ID" })).toBeVisible();
  const firstTitle = await table.getByRole("row").nth(1).getByRole("cell").first().textContent();
  await page.getByRole("button", { name: "Next page" }).click();
  await expect(page.getByText(/Page 2 of \d+/)).toBeVisible();
  await expect(table.getByRole("row").nth(1).getByRole("cell").first()).not.toHaveText(firstTitle!);
  await page.screenshot({ path: artifact("14-all-software-updates") });
});

test("a Read-only Analyst sees Synchronize Software Updates disabled with the reason, and the API refuses", async ({
  page,
}) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  const created = await page.request.post("/api/users", {
    data: { username: "e2e-viewer", role: "read-only-analyst", password: "viewer initial password" },
  });
  expect(created.status()).toBe(201);
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, "e2e-viewer", "viewer initial password");
  await page.getByLabel("Current password").fill("viewer initial password");
  await page.getByLabel("New password", { exact: true }).fill("viewer chosen password");
  await page.getByLabel("Confirm new password").fill("viewer chosen password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).not.toHaveURL(/change-password/);

  await page.goto("/software-library/software-updates/all");
  const button = page.getByRole("button", { name: "Synchronize Software Updates" });
  await expect(button).toBeDisabled();
  await expect(
    page.getByText(/Your role \(Read-only Analyst\) cannot start, cancel or retry synchronizations/),
  ).toBeVisible();
  const refused = await page.request.post("/api/sync", { data: {} });
  expect(refused.status()).toBe(403);
  await page.screenshot({ path: artifact("15-analyst-sync-disabled") });
});
