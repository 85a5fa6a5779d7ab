// Runs first (files run in name order on one worker): the first sign-in with the generated password forces a change
// to ADMIN_PASSWORD, which later specs sign in with. Then each
// workspace and its navigation pane; screenshots saved under e2e/artifacts.
import { expect, test } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });

test("a wrong password is refused with the server's message", async ({ page }) => {
  await signIn(page, "admin", "definitely not it", { expectFailure: true });
  await expect(page.getByRole("alert")).toHaveText(/The user name or password is incorrect\./);
  await expect(page).toHaveURL(/\/login/);
});

test("the first sign-in with the generated password must change it", async ({ page }) => {
  const generated = process.env.SYNCPOINT_E2E_GENERATED_PASSWORD!;
  await page.goto("/monitoring/sup-sync-status");
  await expect(page).toHaveURL(/\/login\?next=/);
  await page.screenshot({ path: artifact("01-login") });
  await signIn(page, "admin", generated);
  await expect(page).toHaveURL(/\/change-password/);
  // Other pages are out of reach until the password is changed.
  await page.goto("/administration/sites");
  await expect(page).toHaveURL(/\/change-password/);

  await page.getByLabel("Current password").fill(generated);
  await page.getByLabel("New password", { exact: true }).fill(ADMIN_PASSWORD);
  await page.getByLabel("Confirm new password").fill("something else entirely");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText(/match/i)).toBeVisible();
  await page.getByLabel("Confirm new password").fill(ADMIN_PASSWORD);
  await page.screenshot({ path: artifact("02-change-password") });
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).not.toHaveURL(/\/change-password/);
  await expect(page.getByRole("navigation", { name: "Workspaces" })).toBeVisible();
});

test("signs in and visits each workspace from the workspace switcher", async ({ page }) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  const workspaces = page.getByRole("navigation", { name: "Workspaces" });
  const pane = page.getByRole("navigation", { name: "Navigation pane" });

  await expect(
    page.getByRole("heading", { level: 1, name: "Software Update Point Synchronization Status" }),
  ).toBeVisible();
  await page.screenshot({ path: artifact("03-monitoring") });

  await workspaces.getByRole("link", { name: "Administration" }).click();
  await expect(workspaces.getByRole("link", { name: "Administration" })).toHaveAttribute("aria-current", "page");
  await pane.getByRole("link", { name: "Sites" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sites" })).toBeVisible();
  // The seeded demo hierarchy, from the real database.
  for (const code of ["CAS", "P01", "P02", "S01", "S02"]) {
    await expect(page.getByRole("main").getByText(code, { exact: true }).first()).toBeVisible();
  }
  await expect(page.getByRole("main").getByText("cas-sup01.corp.contoso.com")).toBeVisible();
  await page.screenshot({ path: artifact("04-administration-sites") });

  await workspaces.getByRole("link", { name: "Software Library" }).click();
  await pane.getByRole("link", { name: "All Software Updates" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "All Software Updates" })).toBeVisible();
  await expect(page).toHaveURL(/\/software-library\/software-updates\/all$/);
  await page.screenshot({ path: artifact("05-software-library") });

  await workspaces.getByRole("link", { name: "Monitoring" }).click();
  await pane.getByRole("link", { name: "Software Update Point Synchronization Status" }).click();
  await expect(
    page.getByRole("heading", { level: 1, name: "Software Update Point Synchronization Status" }),
  ).toBeVisible();
  await expect(pane.getByRole("link", { name: "Software Update Point Synchronization Status" })).toHaveAttribute(
    "aria-current",
    "page",
  );
});

test("keeps the session across a reload and signs out", async ({ page }) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await page.goto("/administration/sites");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Sites" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/administration/sites");
  await expect(page).toHaveURL(/\/login\?next=/);
});
