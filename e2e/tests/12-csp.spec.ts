// The console under the server's Content-Security-Policy (issue #9: no inline scripts, no eval, styles from its own
// files, socket.io on the same host): every page of the three workspaces and a dialog load in Chromium without a single
// CSP violation, and the live connection is up.
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, ensureAdminPassword, signIn } from "./helpers.ts";

const PAGES = [
  "/administration/sites",
  "/administration/administrative-users",
  "/administration/api-tokens",
  "/administration/audit",
  "/administration/notifications",
  "/administration/synchronization-schedule",
  "/software-library/software-updates/all",
  "/monitoring/sup-sync-status",
  "/monitoring/hierarchy",
  "/monitoring/alerts",
  "/monitoring/sync-runs",
  "/monitoring/sites/CAS",
];

test("every page loads without a Content-Security-Policy violation", async ({ page, request }) => {
  await ensureAdminPassword(request);
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(`${page.url()}: ${text}`));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (event) =>
      (window as unknown as { reportCspViolation(text: string): void }).reportCspViolation(
        `${event.violatedDirective} ${event.blockedURI} ${event.sample}`,
      ),
    ),
  );
  let webSockets = 0;
  page.on("websocket", () => webSockets++);

  await signIn(page, "admin", ADMIN_PASSWORD);
  const csp = (await page.request.get("/")).headers()["content-security-policy"] ?? "";
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain("unsafe-inline");
  for (const path of PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  await page.goto("/software-library/software-updates/all");
  await page.getByRole("button", { name: "Synchronize Software Updates" }).first().click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.keyboard.press("Escape");

  expect(webSockets).toBeGreaterThan(0);
  expect(violations).toEqual([]);
});
