// Day-to-day operations: the Sync Schedule (a custom monthly schedule, saved, and its next five times), Test connection
// against the embedded upstream, Pause all schedules with the banner on every page and Resume from it, and
// Monitoring › Alerts, where a failed synchronization (a SOAP fault injected at the upstream) raises an alert that
// appears live and is acknowledged. Screenshots are saved under e2e/artifacts.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
// The browser in Berlin, as the schedule: the next times then read as the schedule says them, and the time-zone
// select starts out at the browser's zone.
test.use({ timezoneId: "Europe/Berlin", locale: "en-US" });

const upstream = () => process.env.SYNCPOINT_E2E_UPSTREAM_URL!;
const BANNER = "Synchronization schedules paused";

async function openNode(page: Page, workspace: string, node: string) {
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: workspace }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: node, exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: node })).toBeVisible();
}

// Whatever happens above, the next spec finds the schedules running and the upstream healthy.
test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: process.env.SYNCPOINT_E2E_BASE_URL });
  await api.delete(`${upstream()}/admin/faults`);
  const login = await api.post("/api/auth/login", { data: { username: "admin", password: ADMIN_PASSWORD } });
  if (login.ok()) await api.put("/api/sup-settings", { data: { schedulesPaused: false } });
  await api.dispose();
});

test("a custom monthly schedule: saved, its next five times on the second Tuesday, and Test connection", async ({
  page,
}) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openNode(page, "Administration", "Synchronization Schedule");
  const form = page.getByRole("form", { name: "Sync Schedule" });
  await expect(form.getByLabel("Enable synchronization on a schedule")).toBeChecked();

  await form.getByRole("radio", { name: "Custom schedule" }).check();
  await form.getByLabel("Recurrence pattern").selectOption("monthly");
  await form.getByLabel("On the").selectOption({ label: "Second" });
  await form.getByLabel("Day of the week").selectOption({ label: "Tuesday" });
  await form.getByLabel("Start time").fill("02:00");
  await form.getByLabel("Time zone").selectOption("Europe/Berlin");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The synchronization schedule was saved." })).toBeVisible();
  await expect(form.getByRole("button", { name: "Save" })).toBeDisabled();

  const stored = await (await page.request.get("/api/sup-settings")).json();
  expect(stored.schedule).toEqual({ kind: "monthly", week: 2, dayOfWeek: 2, time: "02:00", timeZone: "Europe/Berlin" });

  const upcoming = page.getByRole("region", { name: "Next synchronizations" }).getByRole("listitem");
  await expect(upcoming).toHaveCount(5);
  const berlin = new Intl.DateTimeFormat("en-US", {
    timeZone: "Europe/Berlin",
    weekday: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const instants = await upcoming.locator("time").evaluateAll((times) => times.map((t) => t.getAttribute("datetime")));
  let previous = Date.now() - 60_000;
  for (const iso of instants) {
    const parts = Object.fromEntries(berlin.formatToParts(new Date(iso!)).map((p) => [p.type, p.value]));
    // The second Tuesday of a month is its 8th to 14th day.
    expect(parts, iso!).toMatchObject({ weekday: "Tue", hour: "02", minute: "00" });
    expect(Number(parts.day)).toBeGreaterThanOrEqual(8);
    expect(Number(parts.day)).toBeLessThanOrEqual(14);
    expect(Date.parse(iso!)).toBeGreaterThan(previous);
    previous = Date.parse(iso!);
  }
  for (const item of await upcoming.all()) await expect(item).toContainText(/^Tue, /);
  await page.getByRole("heading", { level: 1 }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifact("30-sync-schedule") });

  const ribbon = page.getByRole("toolbar", { name: "Synchronization schedule actions" });
  await ribbon.getByRole("button", { name: "Test connection" }).click();
  const result = page.getByRole("region", { name: /^Connected to http/ });
  await expect(result).toBeVisible();
  await expect(result).toContainText(/Protocol version \S+\./);
  const steps = result.getByRole("list", { name: "Steps of the connection test" }).getByRole("listitem");
  await expect(steps).toHaveCount(4);
  for (const step of await steps.all()) await expect(step).toContainText(/^✓\w+succeeded in \d+ ms$/);
  await page.screenshot({ path: artifact("31-test-connection") });
});

test("Pause all schedules after a confirmation: the banner on every page, and Resume from the banner", async ({
  page,
}) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.goto("/administration/synchronization-schedule");
  const ribbon = page.getByRole("toolbar", { name: "Synchronization schedule actions" });
  await ribbon.getByRole("button", { name: "Pause all schedules" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Pause all schedules" });
  await expect(confirm).toContainText("automatic retries of failed synchronizations do not run");
  await confirm.getByRole("button", { name: "Pause schedules" }).click();
  await expect(confirm).toBeHidden();
  await expect(ribbon.getByRole("button", { name: "Resume schedules" })).toBeVisible();

  await openNode(page, "Monitoring", "Software Update Point Synchronization Status");
  await expect(page.getByRole("table", { name: "Software Update Point Synchronization Status" })).toBeVisible();
  const banner = page.getByRole("status", { name: BANNER });
  await expect(banner).toContainText(/All synchronization schedules are paused — since .+ by admin\./);
  await expect(banner).toContainText("Scheduled syncs and automatic retries do not run.");
  await page.screenshot({ path: artifact("32-schedules-paused-banner") });

  await banner.getByRole("button", { name: "Resume schedules" }).click();
  await expect(banner).toBeHidden();
  expect((await (await page.request.get("/api/sup-settings")).json()).schedulesPaused).toBe(false);
  // Still gone after a reload: it is the server's state, not the page's.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("status", { name: BANNER })).toHaveCount(0);
});

test("a failed synchronization raises an alert that appears live in Monitoring › Alerts, and is acknowledged", async ({
  page,
}) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openNode(page, "Monitoring", "Alerts");
  const openCount = async (state: string) =>
    (await (await page.request.get(`/api/alerts?state=${state}&pageSize=1`)).json()).total as number;
  if ((await openCount("active")) + (await openCount("acknowledged")) === 0) {
    await expect(page.getByText("There are no active or acknowledged alerts.")).toBeVisible();
    await page.screenshot({ path: artifact("33-alerts-empty") });
  }

  // A fault no retry can fix: the run fails at once, and "Alert when synchronization fails" raises the alert.
  const fault = await page.request.post(`${upstream()}/admin/faults`, {
    data: { operation: "*", kind: "soap-fault", errorCode: "IncompatibleProtocolVersion" },
  });
  expect(fault.status()).toBe(201);
  try {
    const started = await page.request.post("/api/sync", { data: {} });
    expect(started.status(), await started.text()).toBe(202);
    const row = page.getByRole("row").filter({ hasText: "CAS: software update synchronization failed" });
    // No reload: the `alert` event puts the row in the list.
    await expect(row).toBeVisible({ timeout: 20_000 });
  } finally {
    await page.request.delete(`${upstream()}/admin/faults`);
  }
  const row = page.getByRole("row").filter({ hasText: "CAS: software update synchronization failed" });
  await expect(row).toContainText("Active");
  const pane = page.getByRole("navigation", { name: "Navigation pane" });
  await expect(pane.getByText(/^\d+ active alerts?$/)).toBeAttached();
  await page.screenshot({ path: artifact("34-alert-active") });

  await row.click();
  const details = page.getByRole("region", { name: "Details of CAS: software update synchronization failed" });
  await expect(details).toContainText("UPSTREAM_SOAP_FAULT");
  await expect(details.getByRole("link", { name: "View the synchronization run" })).toBeVisible();
  await page.getByRole("toolbar", { name: "Alert actions" }).getByRole("button", { name: "Acknowledge" }).click();
  await expect(page.getByRole("status").filter({ hasText: "was acknowledged" })).toBeVisible();
  await expect(row).toContainText("Acknowledged");
  await expect(row).toContainText("admin");
  await expect(
    page.getByRole("toolbar", { name: "Alert actions" }).getByRole("button", { name: "Acknowledge" }),
  ).toBeDisabled();
  await page.screenshot({ path: artifact("35-alert-acknowledged") });

  // The failed site's status row says when the retry comes.
  await pane.getByRole("link", { name: "Software Update Point Synchronization Status" }).click();
  const cas = page
    .getByRole("table", { name: "Software Update Point Synchronization Status" })
    .locator('tr[data-site-code="CAS"]');
  await expect(cas).toContainText("Failed");
  await expect(cas).toContainText(/Retry at .+/);
});
