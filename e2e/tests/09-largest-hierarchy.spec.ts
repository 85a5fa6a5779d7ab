// The console with the largest hierarchy Configuration Manager documents — 1 central site, 25 primaries, 250
// secondaries under each: 6 276 sites — on a second stack of its own (SYNCPOINT_HIERARCHY=largest), so the other specs
// keep their small demo hierarchy. The status page renders a window of rows, not 6 276; filtering by parent and
// scrolling to the last site work; the hierarchy view collapses large subtrees (25 primaries, 250 secondaries each). The time to the
// first status row is recorded as an annotation (measured, not asserted: `pnpm bench` is where speed is judged).
// Screenshots 90–92 under e2e/artifacts.
import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { startStack, type Stack } from "../stack.ts";
import { ADMIN_PASSWORD, artifact, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });

const TOTAL = 6_276;
const STATUS = "Software Update Point Synchronization Status";
let stack: Stack;
let context: BrowserContext;

async function openContext(browser: Browser): Promise<Page> {
  context = await browser.newContext({
    baseURL: stack.baseURL,
    locale: "en-US",
    viewport: { width: 1280, height: 720 },
  });
  return context.newPage();
}

test.beforeAll(async () => {
  test.setTimeout(240_000);
  stack = await startStack({
    env: { SYNCPOINT_HIERARCHY: "largest", ADMIN_PASSWORD, UPSTREAM_UPDATES: "300" },
    logName: "stack-largest.log",
  });
});

test.afterAll(async () => {
  await context?.close();
  await stack?.stop();
});

test("6 276 sites: a window of status rows, filter by parent, scroll to the last site, collapsed hierarchy", async ({
  browser,
}, testInfo) => {
  const page = await openContext(browser);
  await signIn(page, "admin", ADMIN_PASSWORD);

  const started = Date.now();
  await page.goto("/monitoring/sup-sync-status");
  const table = page.getByRole("table", { name: STATUS });
  // Rows sort by site code: generated secondaries with a digit first ("100") lead.
  await expect(table.locator('tr[data-site-code="100"]')).toBeVisible({ timeout: 30_000 });
  testInfo.annotations.push({ type: "first status row (ms)", description: String(Date.now() - started) });

  await expect(table).toHaveAttribute("aria-rowcount", String(TOTAL + 1));
  const rendered = await table.locator("tbody tr[data-site-code]").count();
  expect(rendered).toBeGreaterThan(5);
  expect(rendered).toBeLessThan(200);
  await expect(
    page
      .getByRole("list", { name: "Software update points by state" })
      .getByRole("button", { name: /Never synchronized/ }),
  ).toContainText("6,276");
  await page.screenshot({ path: artifact("90-largest-status") });

  // The last site is a scroll away.
  const frame = page.locator(".table-frame").filter({ has: table });
  await frame.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
  await expect(table.locator('tr[data-site-code="Z6X"]')).toBeVisible();
  await expect(table.locator('tr[data-site-code="Z6X"]')).toHaveAttribute("aria-rowindex", String(TOTAL + 1));

  // Filtered by parent: P07's 250 secondaries.
  await page
    .getByRole("search", { name: "Filter software update points" })
    .getByLabel("Parent site")
    .selectOption("P07");
  await expect(table).toHaveAttribute("aria-rowcount", "251");
  await expect(page).toHaveURL(/parent=P07/);
  await page.screenshot({ path: artifact("91-largest-filtered") });

  // The hierarchy: a site with more than 20 children shows 20 until expanded — the central site's primaries too.
  await page.goto("/monitoring/hierarchy");
  const tree = page.getByRole("tree", { name: "Sites by synchronization state" });
  await expect(tree.locator('[data-site-code="P20"]')).toBeVisible({ timeout: 30_000 });
  expect(await tree.locator("[data-site-code]").count()).toBe(1 + 20 + 20 * 20);
  await tree.getByRole("button", { name: "Show 5 more child sites of CAS" }).click();
  await expect(tree.locator('[data-site-code="P25"]')).toBeVisible();
  expect(await tree.locator("[data-site-code]").count()).toBe(1 + 25 + 25 * 20);
  await tree.getByRole("button", { name: "Show 230 more child sites of P01" }).click();
  // P01's last child by code: the demo's S01, kept beside 249 generated ones.
  await expect(tree.locator('[data-site-code="S01"]')).toBeVisible();
  await page.screenshot({ path: artifact("92-largest-hierarchy") });
});
