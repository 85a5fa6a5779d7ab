// Administration › Security › API Reference: the operations of the server's OpenAPI document, filtered down to the
// synchronization ones, and the raw document downloaded. Screenshot 110 under e2e/artifacts.
import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.use({ locale: "en-US" });

test("the API reference lists the operations, filters them and downloads the OpenAPI document", async ({ page }) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: "Administration" }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: "API Reference", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "API Reference" })).toBeVisible();
  const summary = page.getByRole("status").filter({ hasText: /^Showing \d+ of \d+ operations\./ });
  await expect(summary).toContainText(/^Showing (\d+) of \1 operations\./);

  await page.getByRole("searchbox", { name: "Filter" }).fill("sync");
  await expect(summary).not.toContainText(/^Showing (\d+) of \1 operations\./);
  const sync = page.locator('tr[data-operation="POST /api/sync"]');
  await expect(sync.getByRole("rowheader")).toHaveText("POST /api/sync");
  await expect(sync).toContainText("Synchronize Software Updates");
  await expect(sync).toContainText("sync.run");
  await expect(sync).toContainText("fullSync");
  await expect(page.locator('tr[data-operation="GET /api/health"]')).toHaveCount(0);
  await page.screenshot({ path: artifact("110-api-reference") });

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download OpenAPI document" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("syncpoint-openapi.json");
  const document = JSON.parse(await readFile((await download.path())!, "utf8")) as {
    openapi: string;
    paths: Record<string, Record<string, unknown>>;
  };
  expect(document.openapi).toMatch(/^3\.1\./);
  expect(document.paths["/api/sync"]?.post).toBeDefined();
});
