// Administration › Sites: a secondary site added under P01, renamed in its Properties and deleted; then the Software
// Update Point Component Properties of the top-level site: one more classification selected, applied, still there
// when the dialog is opened again, and the previous selection restored; and a new schedule set on its Sync Schedule
// tab (summary and next three times before saving), then found on the Synchronization Schedule page. Screenshots
// 50–5x under e2e/artifacts.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

const CODE = "S61";
const DIALOG = "Software Update Point Component Properties";
let originalClassifications: string[] | undefined;
let originalSchedule: { scheduleEnabled: boolean; schedule: unknown; syncFailureAlert: boolean } | undefined;

async function openSites(page: Page) {
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: "Administration" }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: "Sites", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Sites" })).toBeVisible();
}

const row = (page: Page, code: string) => page.locator(`tr[data-site-code="${code}"]`);

/** The classifications come from a sync: when this spec runs on a fresh stack, one sync brings them. */
async function ensureClassifications(request: APIRequestContext) {
  const list = async () =>
    ((await (await request.get("/api/categories?type=classification")).json()) as { items: unknown[] }).items;
  if ((await list()).length > 0) return;
  await request.post("/api/sync", { data: {} });
  await expect.poll(async () => (await list()).length, { timeout: 20_000 }).toBeGreaterThan(0);
}

// Whatever happens above, the next spec finds the hierarchy and the classifications as they were.
test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: process.env.SYNCPOINT_E2E_BASE_URL });
  const login = await api.post("/api/auth/login", { data: { username: "admin", password: ADMIN_PASSWORD } });
  if (login.ok()) {
    await api.delete(`/api/sites/${CODE}`);
    if (originalClassifications)
      await api.put("/api/sup-settings", { data: { classifications: originalClassifications } });
    if (originalSchedule) await api.put("/api/sup-settings", { data: originalSchedule });
  }
  await api.dispose();
});

test("a secondary site is added under P01, renamed and deleted", async ({ page }) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openSites(page);

  await row(page, "S01").click();
  await expect(page.getByRole("button", { name: "Add Secondary Site" })).toBeDisabled();
  await expect(page.getByText("A secondary site is added under a primary site.")).toBeVisible();

  await row(page, "P01").click();
  await page.getByRole("button", { name: "Add Secondary Site" }).click();
  const add = page.getByRole("dialog", { name: "Add Secondary Site under P01" });
  await add.getByLabel("Site code").fill("S!");
  await add.getByRole("button", { name: "Add" }).click();
  await expect(add.getByText("A site code is three letters or digits, e.g. P03.")).toBeVisible();
  await add.getByLabel("Site code").fill(CODE);
  await add.getByLabel("Site name").fill("Secondary Site 61");
  await add.getByLabel("Server name").fill("s61-sup01.corp.contoso.com");
  await page.screenshot({ path: artifact("50-add-secondary-site") });
  await add.getByRole("button", { name: "Add" }).click();
  await expect(add).toBeHidden();
  await expect(row(page, CODE)).toContainText("Secondary Site 61");
  await expect(row(page, CODE)).toContainText("P01");
  await expect(row(page, CODE)).toContainText("s61-sup01.corp.contoso.com");

  await row(page, CODE).click();
  await page.getByRole("button", { name: "Properties" }).click();
  const properties = page.getByRole("dialog", { name: `${CODE} Properties` });
  await properties.getByLabel("Site name").fill("Stockholm branch");
  await properties.getByRole("button", { name: "OK" }).click();
  await expect(properties).toBeHidden();
  await expect(row(page, CODE)).toContainText("Stockholm branch");
  await page.screenshot({ path: artifact("51-site-renamed") });

  await page.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete site" });
  await expect(confirm).toContainText(`Delete site ${CODE} (Stockholm branch)`);
  await page.screenshot({ path: artifact("52-delete-site-confirmation") });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(row(page, CODE)).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: `Site ${CODE} was deleted.` })).toBeVisible();
});

test("one more classification in the component properties is applied, kept, and then restored", async ({ page }) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await ensureClassifications(page.request);
  originalClassifications = (
    (await (await page.request.get("/api/sup-settings")).json()) as {
      classifications: string[];
    }
  ).classifications;
  await openSites(page);

  await row(page, "P01").click();
  const configure = page.getByRole("button", { name: "Configure Site Components › Software Update Point" });
  await expect(configure).toBeDisabled();
  await row(page, "CAS").click();
  await configure.click();
  let dialog = page.getByRole("dialog", { name: DIALOG });
  await dialog.getByRole("tab", { name: "Classifications" }).click();
  const unchecked = dialog.getByRole("checkbox", { checked: false }).first();
  await expect(unchecked).toBeVisible();
  const label = (await dialog.locator(`label[for="${await unchecked.getAttribute("id")}"]`).innerText()).trim();
  await unchecked.check();
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog.getByText("The changes were applied.")).toBeVisible();
  await page.screenshot({ path: artifact("53-component-properties-applied") });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await configure.click();
  dialog = page.getByRole("dialog", { name: DIALOG });
  await dialog.getByRole("tab", { name: "Classifications" }).click();
  const kept = dialog.getByRole("checkbox", { name: label });
  await expect(kept).toBeChecked();
  await page.screenshot({ path: artifact("54-component-properties-kept") });

  await kept.uncheck();
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();
  const restored = ((await (await page.request.get("/api/sup-settings")).json()) as { classifications: string[] })
    .classifications;
  expect([...restored].sort()).toEqual([...originalClassifications].sort());
  originalClassifications = undefined;
});

test("a schedule set on the Sync Schedule tab: summary and next three times, saved, and on the schedule page", async ({
  page,
}) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  const before = (await (await page.request.get("/api/sup-settings")).json()) as {
    scheduleEnabled: boolean;
    schedule: unknown;
    syncFailureAlert: boolean;
  };
  originalSchedule = {
    scheduleEnabled: before.scheduleEnabled,
    schedule: before.schedule,
    syncFailureAlert: before.syncFailureAlert,
  };
  await openSites(page);
  await row(page, "CAS").click();
  await page.getByRole("button", { name: "Configure Site Components › Software Update Point" }).click();
  const dialog = page.getByRole("dialog", { name: DIALOG });
  await dialog.getByRole("tab", { name: "Sync Schedule" }).click();
  const tab = dialog.getByRole("tabpanel");
  await tab.getByLabel("Enable synchronization on a schedule").check();
  await tab.getByRole("radio", { name: "Custom schedule" }).check();
  await tab.getByLabel("Recurrence pattern").selectOption("weekly");
  await tab.getByLabel("Recur every (weeks)").fill("2");
  await tab.getByLabel("On", { exact: true }).selectOption({ label: "Saturday" });
  await tab.getByLabel("Start time").fill("23:30");
  await tab.getByLabel("Time zone").selectOption("Europe/Berlin");

  const next = tab.getByRole("region", { name: "Next synchronizations" });
  await expect(next).toContainText("Every 2 weeks on Saturday at 23:30 (Europe/Berlin).");
  const times = next.getByRole("listitem");
  await expect(times).toHaveCount(3);
  const berlin = new Intl.DateTimeFormat("en-US", {
    timeZone: "Europe/Berlin",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const instants = await times.locator("time").evaluateAll((list) => list.map((t) => t.getAttribute("datetime")!));
  for (const [i, iso] of instants.entries()) {
    const parts = Object.fromEntries(berlin.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
    expect(parts, iso).toMatchObject({ weekday: "Sat", hour: "23", minute: "30" });
    // Every other Saturday: two weeks apart (give or take the hour a daylight-saving change moves it).
    if (i > 0)
      expect(Math.abs(Date.parse(iso) - Date.parse(instants[i - 1]!) - 14 * 86_400_000)).toBeLessThanOrEqual(3_600_000);
  }
  await page.screenshot({ path: artifact("55-component-properties-sync-schedule") });
  await dialog.getByRole("button", { name: "OK" }).click();
  await expect(dialog).toBeHidden();

  const stored = (await (await page.request.get("/api/sup-settings")).json()) as {
    schedule: unknown;
    upcomingSyncs: string[];
  };
  expect(stored.schedule).toEqual({
    kind: "weekly",
    dayOfWeek: 6,
    time: "23:30",
    everyWeeks: 2,
    timeZone: "Europe/Berlin",
  });
  // What the tab previewed is what was saved.
  expect(stored.upcomingSyncs.slice(0, 3)).toEqual(instants);

  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: "Synchronization Schedule", exact: true })
    .click();
  const form = page.getByRole("form", { name: "Sync Schedule" });
  await expect(form.getByLabel("Recurrence pattern")).toHaveValue("weekly");
  await expect(form.getByLabel("Recur every (weeks)")).toHaveValue("2");
  await expect(form.getByLabel("On", { exact: true })).toHaveValue("6");
  await expect(form.getByLabel("Start time")).toHaveValue("23:30");
  await expect(form.getByLabel("Time zone")).toHaveValue("Europe/Berlin");
  const upcoming = page.getByRole("region", { name: "Next synchronizations" });
  await expect(upcoming).toContainText("Every 2 weeks on Saturday at 23:30 (Europe/Berlin).");
  await expect(upcoming.getByRole("listitem")).toHaveCount(5);
  expect(await upcoming.locator("time").evaluateAll((list) => list.map((t) => t.getAttribute("datetime")))).toEqual(
    stored.upcomingSyncs,
  );
  await page.screenshot({ path: artifact("56-sync-schedule-from-the-dialog") });
});
