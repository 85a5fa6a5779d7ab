// Software Library › Update Packages, the disconnected-site issue's proof in the browser: the main stack (connected,
// synchronized from its embedded upstream) exports its catalog as a download; a second stack of its own — its own
// database, no upstream (EMBEDDED_UPSTREAM=0) — refuses imports until its top-level site is set to "Do not
// synchronize…", then uploads the file, shows what the verification found, applies it after a confirmation and follows
// the run live to its end; both catalogs then have the same digest. Screenshots 130–133 under e2e/artifacts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext, type BrowserContext } from "@playwright/test";
import { startStack, type Stack } from "../stack.ts";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

let disconnected: Stack;
let context: BrowserContext | undefined;
let downloads: string;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  downloads = await mkdtemp(path.join(tmpdir(), "syncpoint-e2e-packages-"));
  disconnected = await startStack({
    env: { EMBEDDED_UPSTREAM: "0", ADMIN_PASSWORD },
    logName: "stack-disconnected.log",
  });
});

test.afterAll(async () => {
  await context?.close();
  await disconnected?.stop();
  await rm(downloads, { recursive: true, force: true });
});

/** The main stack's top-level site synchronized at least once (this spec may run on its own). */
async function synchronized(request: APIRequestContext): Promise<void> {
  await ensureAdminPassword(request);
  await request.post("/api/auth/login", { data: { username: "admin", password: ADMIN_PASSWORD } });
  const status = async () =>
    (
      (await (await request.get("/api/sup-sync-status")).json()) as {
        items: { siteCode: string; state: string; catalogVersion: number }[];
      }
    ).items.find((row) => row.siteCode === "CAS")!;
  if ((await status()).catalogVersion === 0) await request.post("/api/sync", { data: {} });
  await expect
    .poll(
      async () => {
        const row = await status();
        return row.catalogVersion > 0 && !["queued", "running", "canceling"].includes(row.state);
      },
      { timeout: 120_000 },
    )
    .toBe(true);
  // The page shares this session: sign out, so that the spec signs in through the login page.
  await request.post("/api/auth/logout", { data: {} });
}

const digestOf = async (request: APIRequestContext) =>
  (await (await request.get("/api/sites/CAS/catalog/digest")).json()) as { count: number; digest: string };

test("export on the connected stack, import and apply on a disconnected one, same catalog", async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  await synchronized(page.request);

  // The connected stack: Software Library › Software Updates › Update Packages, Export.
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: "Software Library" }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: "Update Packages" })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Update Packages" })).toBeVisible();
  await expect(page.getByLabel("Site")).toHaveValue("CAS");
  // Connected: the import is there, disabled, saying why.
  await expect(page.getByRole("button", { name: "Upload and verify" })).toBeDisabled();
  await page.screenshot({ path: artifact("130-update-packages-export") });
  const downloadStarted = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download update package" }).click();
  const download = await downloadStarted;
  expect(download.suggestedFilename()).toMatch(/^syncpoint-CAS-v\d+-\d{8}\.ndjson\.gz$/);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);

  // The disconnected stack, in a browser context of its own.
  context = await browser.newContext({
    baseURL: disconnected.baseURL,
    locale: "en-US",
    viewport: { width: 1280, height: 900 },
  });
  const other = await context.newPage();
  await signIn(other, "admin", ADMIN_PASSWORD);
  await other.goto("/software-library/software-updates/update-packages");
  await expect(other.getByRole("note")).toContainText("CAS synchronizes from Microsoft Update or an upstream server.");
  await expect(other.getByRole("button", { name: "Upload and verify" })).toBeDisabled();
  const put = await other.request.put("/api/sup-settings", { data: { syncSource: "disconnected" } });
  expect(put.ok()).toBe(true);
  await other.reload();
  await expect(other.getByRole("note")).toHaveCount(0);

  await other.getByLabel("Update package file").setInputFiles(file);
  await other.getByRole("button", { name: "Upload and verify" }).click();
  const verified = other.getByText(`${download.suggestedFilename()} is verified and can be applied.`);
  await expect(verified).toBeVisible({ timeout: 60_000 });
  const summary = other.locator(".import-outcome .details-list");
  await expect(summary).toContainText("Windows 11");
  await expect(summary).toContainText("Security Updates");
  await other.screenshot({ path: artifact("131-update-packages-verified"), fullPage: true });

  await other.locator(".import-outcome").getByRole("button", { name: "Apply" }).click();
  const confirm = other.getByRole("alertdialog", { name: "Apply update package" });
  await expect(confirm).toContainText("Updates the package does not hold are removed from the catalog");
  await other.screenshot({ path: artifact("132-update-packages-confirm") });
  await confirm.getByRole("button", { name: "Apply" }).click();
  await expect(
    other.getByRole("status").filter({ hasText: /^The package is applied: the catalog is now at version \d+\./ }),
  ).toBeVisible({
    timeout: 120_000,
  });
  const row = other.locator(`tr[data-package-id]`).first();
  await expect(row).toHaveAttribute("data-state", "applied");
  await other.screenshot({ path: artifact("133-update-packages-applied"), fullPage: true });

  // The run is a synchronization like any other: Monitoring shows it.
  await other.getByRole("link", { name: "View the run" }).click();
  await expect(other).toHaveURL(/\/monitoring\/sync-runs\//);
  await expect(other.getByText(/· Import · Full$/)).toBeVisible();
  await expect(other.getByText("WSUS synchronization done.")).toBeVisible();

  expect(await digestOf(other.request)).toEqual(await digestOf(page.request));
});
