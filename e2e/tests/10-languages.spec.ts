// The console in its six languages: the administrator picks each one in the top bar; the status page and the Software
// Update Point Component Properties dialog show the glossary's terms for it (screenshots lang-<locale>-status and
// lang-<locale>-properties under e2e/artifacts); in German, the longest, nothing visible overflows at 1280×720. The
// choice is remembered for the user: a new browser context signs in to the same language.
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

type Locale = "en-US" | "sv-SE" | "zh-CN" | "de-DE" | "nl-NL" | "it-IT";
type Term = { term: string } & Record<Locale, string>;
const glossary = JSON.parse(
  readFileSync(new URL("../../apps/console/src/i18n/glossary.json", import.meta.url), "utf8"),
) as { locales: Locale[]; terms: Term[] };

test.describe.configure({ mode: "serial" });
// The browser asks for English: every other language shown is the user's choice, not the browser's.
test.use({ locale: "en-US" });

const term = (english: string, locale: Locale): string => {
  const entry = glossary.terms.find((t) => t.term === english);
  if (!entry) throw new Error(`no glossary term ${english}`);
  return entry[locale];
};

// Whatever happens, the next run of the suite finds the administrator in English.
test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: process.env.SYNCPOINT_E2E_BASE_URL });
  if ((await api.post("/api/auth/login", { data: { username: "admin", password: ADMIN_PASSWORD } })).ok()) {
    await api.put("/api/auth/locale", { data: { locale: "en-US" } });
  }
  await api.dispose();
});

/** Visible elements whose content is wider than their box, ignoring scroll containers meant to scroll. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      if (element.scrollWidth <= element.clientWidth + 1 || element.clientWidth === 0) continue;
      const style = getComputedStyle(element);
      if (style.visibility === "hidden" || style.display === "none") continue;
      // Text for screen readers only is clipped to 1 px on purpose.
      if (element.closest(".visually-hidden")) continue;
      // A <select> or an input shows its own value; the console's scroll areas (the navigation, a log) may scroll.
      if (["SELECT", "INPUT", "TEXTAREA", "OPTION"].includes(element.tagName)) continue;
      if (style.overflowX === "auto" || style.overflowX === "scroll") {
        // The status table's frame must fit without scrolling sideways (08-monitoring); others may scroll.
        if (!element.classList.contains("table-frame")) continue;
      }
      const name = `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(" ").join(".")}` : ""}`;
      found.push(
        `${name} (${element.scrollWidth} > ${element.clientWidth}): ${element.textContent?.trim().slice(0, 60)}`,
      );
    }
    return found;
  });
}

for (const locale of glossary.locales) {
  test(`the console in ${locale}`, async ({ page }) => {
    await ensureAdminPassword(page.request);
    await signIn(page, "admin", ADMIN_PASSWORD);
    await page.locator(".language-picker__select").selectOption(locale);
    await expect(page.locator("html")).toHaveAttribute("lang", locale);

    // The workspaces and the status page.
    for (const name of ["Administration", "Software Library", "Monitoring"]) {
      await expect(page.getByRole("link", { name: term(name, locale), exact: true }).first()).toBeVisible();
    }
    await page.goto("/monitoring/sup-sync-status");
    const statusTitle = term("Software Update Point Synchronization Status", locale);
    await expect(page.getByRole("heading", { level: 1, name: statusTitle })).toBeVisible();
    await expect(page.locator('tr[data-site-code="CAS"]')).toBeVisible();
    await page.screenshot({ path: artifact(`lang-${locale}-status`) });
    if (locale === "de-DE") expect(await overflowing(page)).toEqual([]);

    // The component properties of the top-level site.
    await page.goto("/administration/sites");
    await expect(page.getByRole("heading", { level: 1, name: term("Sites", locale) })).toBeVisible();
    await page.locator('tr[data-site-code="CAS"]').click();
    await page.getByRole("button", { name: new RegExp(term("Configure Site Components", locale)) }).click();
    const dialog = page.getByRole("dialog", { name: term("Software Update Point Component Properties", locale) });
    await expect(dialog).toBeVisible();
    for (const tab of [
      "Sync Settings",
      "Classifications",
      "Products",
      "Sync Schedule",
      "Supersedence Rules",
      "Languages",
    ]) {
      await expect(dialog.getByRole("tab", { name: term(tab, locale) })).toBeVisible();
    }
    await page.screenshot({ path: artifact(`lang-${locale}-properties`) });
    if (locale === "de-DE") expect(await overflowing(page)).toEqual([]);
    await page.keyboard.press("Escape");

    // Remembered for the user: another browser, English by its own settings, signs in to the chosen language.
    const other = await page
      .context()
      .browser()!
      .newContext({
        baseURL: process.env.SYNCPOINT_E2E_BASE_URL,
        locale: "en-US",
        viewport: { width: 1280, height: 720 },
      });
    const otherPage = await other.newPage();
    await signIn(otherPage, "admin", ADMIN_PASSWORD);
    await expect(otherPage.locator("html")).toHaveAttribute("lang", locale);
    await expect(otherPage.getByRole("link", { name: term("Monitoring", locale), exact: true }).first()).toBeVisible();
    await other.close();
  });
}

// What only the server can check — here, a site code already in use — is worded in the user's language from the
// field's reason code, not in the server's English.
test("a refusal only the server can make is worded in German beside its field", async ({ page }) => {
  const de = JSON.parse(
    readFileSync(new URL("../../apps/console/src/i18n/locales/de-DE.json", import.meta.url), "utf8"),
  ) as {
    sites: {
      actions: { addSecondary: string };
      dialog: { addSecondaryTitle: string; add: string };
      form: { code: string; name: string; serverName: string };
    };
    fieldErrors: { siteCodeTaken: string };
  };
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.locator(".language-picker__select").selectOption("de-DE");
  await expect(page.locator("html")).toHaveAttribute("lang", "de-DE");
  await page.goto("/administration/sites");
  await page.locator('tr[data-site-code="P01"]').click();
  await page.getByRole("button", { name: de.sites.actions.addSecondary }).click();
  const add = page.getByRole("dialog", { name: de.sites.dialog.addSecondaryTitle.replace("{{parent}}", "P01") });
  await add.getByLabel(de.sites.form.code).fill("S01");
  await add.getByLabel(de.sites.form.name).fill("Zweigstelle");
  await add.getByLabel(de.sites.form.serverName).fill("s01-sup02.corp.contoso.com");
  await add.getByRole("button", { name: de.sites.dialog.add, exact: true }).click();
  await expect(add.getByText(de.fieldErrors.siteCodeTaken.replace("{{site}}", "S01"))).toBeVisible();
  await expect(add.getByText("already exists")).toHaveCount(0);
  await page.screenshot({ path: artifact("lang-de-DE-field-error") });
  await page.keyboard.press("Escape");
});
