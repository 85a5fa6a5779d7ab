// Software Library › Import Updates, the catalog import issue's proof: search the catalog for an out-of-band fix that
// only the catalog offers, take its KB, find it by KB, put it in the basket, import it (a run with trigger import,
// followed live), then find it in All Software Updates. Screenshots 140–142 under e2e/artifacts.
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

test("import a catalog-only update by KB, synchronize, find it in All Software Updates", async ({ page }) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: "Software Library" }).click();
  await page.getByRole("navigation", { name: "Navigation pane" }).getByRole("link", { name: "Import Updates" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Import Updates" })).toBeVisible();

  // Words first: which out-of-band fixes does the catalog offer?
  const search = page.getByRole("search", { name: "Search the update catalog" });
  await search.getByLabel("KB number, title words or update ID").fill("out-of-band");
  await search.getByRole("button", { name: "Search" }).click();
  const words = page.getByRole("table", { name: /match “out-of-band”/ });
  const catalogOnly = words
    .locator("tbody tr")
    .filter({ hasText: "Catalog only" })
    .filter({ hasText: "Not in the catalog" });
  await expect(catalogOnly.first()).toBeVisible();
  const kb = (await catalogOnly.first().locator("td").first().textContent())!.trim();
  const updateId = (await catalogOnly.first().getAttribute("data-update-id"))!;
  expect(kb).toMatch(/^KB\d+$/);

  // Then by its KB number, as an administrator would from a support article.
  await search.getByLabel("KB number, title words or update ID").fill(kb);
  await search.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${kb}`));
  const row = page.getByRole("table", { name: `1 update matches “${kb}”` }).locator(`tr[data-update-id="${updateId}"]`);
  await expect(row).toContainText("Catalog only");
  const title = (await row.getByRole("rowheader").textContent())!.replace(/Catalog only$/, "").trim();
  await row.getByRole("button", { name: `Add ${title} to the basket` }).click();
  await expect(page.getByRole("heading", { name: "Basket (1 update)" })).toBeVisible();
  await page.screenshot({ path: artifact("140-import-updates-basket") });

  // A run from an earlier spec may still be under way: the import then waits for it, and is run after it.
  await page.getByRole("toolbar", { name: "Basket actions" }).getByRole("button", { name: "Import" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Import Updates" });
  await expect(confirm).toContainText("Import 1 update with its prerequisites and bundled updates?");
  await confirm.getByRole("button", { name: "Import" }).click();
  const imported = page.getByRole("table", { name: "Imported updates" }).locator(`tr[data-update-id="${updateId}"]`);
  await expect(imported).toHaveAttribute("data-state", "imported", { timeout: 90_000 });
  await expect(imported).toContainText("Imported, revision");
  await expect(imported).toContainText("Basket");
  await page.screenshot({ path: artifact("141-import-updates-imported") });

  // The update is now in the top-level site's catalog: All Software Updates finds it by KB.
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: "All Software Updates" })
    .click();
  const form = page.getByRole("search", { name: "Search software updates" });
  await form.getByLabel("Search").fill(kb);
  await form.getByLabel("Search").press("Enter");
  const found = page.getByRole("table", { name: "All Software Updates" }).locator(`tr[data-update-id="${updateId}"]`);
  await expect(found).toBeVisible();
  await expect(found).toContainText(title);
  await page.screenshot({ path: artifact("142-imported-update-in-all-software-updates") });
});
