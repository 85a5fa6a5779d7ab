// Software Library › All Software Updates against the real stack: a filter in the URL, an update's details with its
// supersedence, a hidden column that stays hidden after a reload, and Export to CSV matching the filtered total.
import { readFile } from "node:fs/promises";
import { expect, test, type APIRequestContext } from "@playwright/test";
// The server's column list itself (e2e does not depend on the contracts package).
import { SOFTWARE_UPDATES_CSV_COLUMNS } from "../../packages/contracts/src/catalog.ts";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

const PATH = "/software-library/software-updates/all";

interface Page<T> {
  items: T[];
  total: number;
}
interface Item {
  updateId: string;
  title: string;
  kbArticleIds: string[];
}

/** The CAS catalog is synced by 03-sync; when this spec runs alone, it synchronizes once here. */
async function ensureCatalog(api: APIRequestContext): Promise<void> {
  const count = async () => ((await (await api.get("/api/software-updates?pageSize=1")).json()) as Page<Item>).total;
  if ((await count()) > 0) return;
  const started = await api.post("/api/sync", { data: {} });
  // 409: one is already running (another spec's); wait for the catalog either way.
  expect([202, 409]).toContain(started.status());
  await expect.poll(count, { timeout: 60_000, intervals: [500] }).toBeGreaterThan(0);
}

/** Minimal RFC 4180 reader: quoted fields may hold commas, quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

test("All Software Updates: filter, details with supersedence, column chooser, Export to CSV", async ({ page }) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await ensureCatalog(page.request);

  // A superseded update with a KB article, whose superseding update is in the catalog.
  const superseded = (await (
    await page.request.get("/api/software-updates?superseded=true&pageSize=100")
  ).json()) as Page<Item>;
  const target = superseded.items.find((u) => u.kbArticleIds.length > 0);
  expect(target, "the synced catalog has a superseded update with a KB article").toBeTruthy();
  const kb = `KB${target!.kbArticleIds[0]!.replace(/^KB/i, "")}`;

  await page.goto(PATH);
  const table = page.getByRole("table", { name: "All Software Updates" });
  await expect(table.getByRole("row")).not.toHaveCount(1);
  const form = page.getByRole("search", { name: "Search software updates" });
  await form.getByLabel("Search").fill(kb);
  await form.getByLabel("Search").press("Enter");
  await expect(page).toHaveURL(new RegExp(`search=${kb}`));
  const row = table.locator(`tr[data-update-id="${target!.updateId}"]`);
  await expect(row).toBeVisible();
  await page.screenshot({ path: artifact("60-updates-filtered-by-kb") });

  await row.click();
  const pane = page.getByRole("region", { name: target!.title });
  const supersedence = pane.getByRole("region", { name: "Supersedence" });
  await expect(supersedence).toContainText("This update is superseded by");
  const newer = supersedence.getByRole("listitem").last().getByRole("button");
  await expect(pane.getByRole("region", { name: "Summary" })).toContainText(kb);
  await expect(pane.getByRole("link", { name: kb })).toHaveAttribute(
    "href",
    `https://support.microsoft.com/kb/${kb.slice(2)}`,
  );
  await supersedence.scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifact("61-update-details-supersedence") });
  const newerTitle = (await newer.textContent())!;
  await newer.click();
  await expect(page.getByRole("heading", { level: 2, name: newerTitle })).toBeVisible();
  await page.getByRole("heading", { level: 2, name: newerTitle }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifact("62-superseding-update-details") });

  // Hide a column; it stays hidden after a reload.
  await page.getByText("Columns", { exact: true }).click();
  const chooser = page.getByRole("group", { name: "Show these columns" });
  await chooser.getByLabel("Severity").uncheck();
  await chooser.getByLabel("Maximum Run Time").check();
  await expect(table.getByRole("columnheader", { name: "Severity" })).toHaveCount(0);
  await page.screenshot({ path: artifact("63-column-chooser") });
  await page.reload();
  await expect(table.getByRole("columnheader", { name: "Maximum Run Time" })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: "Severity" })).toHaveCount(0);
  await page.screenshot({ path: artifact("64-columns-after-reload") });

  // Export the filtered view: a broader search so the CSV has several rows.
  await form.getByRole("button", { name: "Clear filters" }).click();
  await form.getByLabel("Search").fill("Cumulative");
  await form.getByLabel("Search").press("Enter");
  await form.getByLabel("Superseded").selectOption("false");
  await expect(page).toHaveURL(/search=Cumulative.*superseded=false/);
  const summary = page.getByText(/^\d+ software updates?$/);
  await expect(summary).toBeVisible();
  await expect(table).not.toHaveAttribute("aria-busy", "true");
  const total = Number((await summary.textContent())!.split(" ")[0]);
  expect(total).toBeGreaterThan(0);
  const exportLink = page.getByRole("link", { name: "Export to CSV" });
  await expect(exportLink).toHaveAttribute("href", /search=Cumulative.*superseded=false/);
  const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
  const text = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  const rows = parseCsv(text);
  expect(rows[0]).toEqual([...SOFTWARE_UPDATES_CSV_COLUMNS]);
  expect(rows.length - 1).toBe(total);
  await page.screenshot({ path: artifact("65-export-filtered") });
});
