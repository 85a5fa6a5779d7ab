// Identity, roles and audit through the console: the administrator adds a Read-only Analyst (generated password),
// the analyst must change it, sees the user actions disabled with the reason, manages their own API token (which
// really authenticates until revoked); the administrator then finds all of it on the Audit page, and signs out
// everywhere. Screenshots are saved under e2e/artifacts.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });

const ANALYST = "analyst-e2e";
const ANALYST_PASSWORD = "e2e: the analyst's own passphrase";
const TOKEN_NAME = "e2e report script";
const REASON = "Your role (Read-only Analyst) cannot manage users and roles.";

// Handed from one test to the next (serial mode, one worker).
let generatedPassword = "";
let tokenSecret = "";

async function openNode(page: Page, workspace: string, node: string) {
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: workspace }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: node, exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: node })).toBeVisible();
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
}

test("an administrator adds a Read-only Analyst with a generated password, shown once", async ({ page }) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openNode(page, "Administration", "Administrative Users");
  const users = page.getByRole("grid", { name: /users?$/ });
  await expect(users.getByRole("rowheader", { name: "admin", exact: true })).toBeVisible();

  const ribbon = page.getByRole("toolbar", { name: "User actions" });
  await expect(ribbon.getByRole("button", { name: "Add User" })).toBeEnabled();
  await ribbon.getByRole("button", { name: "Add User" }).click();
  const dialog = page.getByRole("dialog", { name: "Add User" });
  await expect(dialog.getByLabel("User name")).toBeFocused();
  await dialog.getByLabel("User name").fill(ANALYST);
  await dialog.getByLabel("Role").selectOption({ label: "Read-only Analyst" });
  await page.screenshot({ path: artifact("20-add-user") });
  await dialog.getByRole("button", { name: "Add", exact: true }).click();

  const shown = page.getByRole("dialog", { name: "User added" });
  await expect(shown).toContainText("It must be changed at first sign-in.");
  generatedPassword = await shown.getByLabel(`Initial password of ${ANALYST}`).inputValue();
  expect(generatedPassword.length).toBeGreaterThanOrEqual(12);
  await page.screenshot({ path: artifact("21-generated-password") });
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();
  await expect(page.getByText(generatedPassword)).toHaveCount(0);

  const row = users.getByRole("row").filter({ has: page.getByRole("rowheader", { name: ANALYST }) });
  await expect(row).toContainText("Read-only Analyst");
  await expect(row).toContainText("Yes");
  await expect(row).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("status").filter({ hasText: `User ${ANALYST} was added.` })).toBeVisible();
  await signOut(page);
});

test("the analyst changes the generated password and sees the user actions disabled with the reason", async ({
  page,
}) => {
  expect(generatedPassword).not.toBe("");
  await signIn(page, ANALYST, generatedPassword);
  await expect(page).toHaveURL(/\/change-password/);
  await page.getByLabel("Current password").fill(generatedPassword);
  await page.getByLabel("New password", { exact: true }).fill(ANALYST_PASSWORD);
  await page.getByLabel("Confirm new password").fill(ANALYST_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).not.toHaveURL(/\/change-password/);
  await expect(page.getByRole("banner")).toContainText(`Signed in as ${ANALYST}, Read-only Analyst`);

  await openNode(page, "Administration", "Administrative Users");
  const users = page.getByRole("grid", { name: /users?$/ });
  await users.getByRole("rowheader", { name: "admin", exact: true }).click();
  const ribbon = page.getByRole("toolbar", { name: "User actions" });
  for (const name of ["Add User", "Change Role", "Reset Password", "Delete"]) {
    const button = ribbon.getByRole("button", { name, exact: true });
    await expect(button).toBeDisabled();
    await expect(button).toHaveAccessibleDescription(REASON);
  }
  await expect(page.getByText(REASON)).toBeVisible();
  await page.screenshot({ path: artifact("22-analyst-user-actions-disabled") });
});

test("the analyst creates an API token that works, and revokes it", async ({ page, request }) => {
  await signIn(page, ANALYST, ANALYST_PASSWORD);
  await openNode(page, "Administration", "API Tokens");
  const ribbon = page.getByRole("toolbar", { name: "API token actions" });
  await ribbon.getByRole("button", { name: "Create Token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create Token" });
  await dialog.getByLabel("Name").fill(TOKEN_NAME);
  await dialog.getByLabel("Expires").selectOption({ label: "In 30 days" });
  await dialog.getByRole("button", { name: "Create", exact: true }).click();

  const shown = page.getByRole("dialog", { name: "Token created" });
  await expect(shown).toContainText("You will not be able to see it again.");
  tokenSecret = await shown.getByLabel(`API token ${TOKEN_NAME}`).inputValue();
  expect(tokenSecret.length).toBeGreaterThan(20);
  await page.screenshot({ path: artifact("23-token-secret") });
  await shown.getByRole("button", { name: "Done" }).click();

  const tokens = page.getByRole("grid", { name: /API tokens?$/ });
  const row = tokens.getByRole("row").filter({ has: page.getByRole("rowheader", { name: TOKEN_NAME }) });
  await expect(row).toContainText("Active");
  // Only the analyst's own tokens: no Owner column.
  await expect(tokens.getByRole("columnheader", { name: "Owner" })).toHaveCount(0);

  // The secret authenticates a script (no cookie in this request context) with the analyst's role.
  const bearer = { Authorization: `Bearer ${tokenSecret}` };
  const me = await request.get("/api/auth/me", { headers: bearer });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({ username: ANALYST, role: "read-only-analyst" });

  await row.click();
  await ribbon.getByRole("button", { name: "Revoke" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Revoke Token" });
  await expect(confirm).toContainText(`Revoke the API token ${TOKEN_NAME}`);
  await confirm.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(row).toContainText("Revoked");
  await expect(ribbon.getByRole("button", { name: "Revoke" })).toHaveAccessibleDescription(
    "The selected token is already revoked.",
  );
  await page.screenshot({ path: artifact("24-token-revoked") });
  expect((await request.get("/api/auth/me", { headers: bearer })).status()).toBe(401);
  await signOut(page);
});

test("the administrator finds the analyst's records on the Audit page", async ({ page }) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openNode(page, "Administration", "Audit");
  const search = page.getByRole("search", { name: "Filter the audit records" });
  await search.getByLabel("User").fill(ANALYST);
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`\\?actor=${ANALYST}$`));

  const records = page.getByRole("grid", { name: /audit records?$/ });
  for (const action of ["auth.login", "auth.change-password", "token.create", "token.revoke"]) {
    await expect(records.getByText(action, { exact: true }).first()).toBeVisible();
  }
  // Only the analyst's records.
  const users = await records.locator("tbody tr td:nth-child(2)").allTextContents();
  expect(new Set(users)).toEqual(new Set([ANALYST]));

  await records.getByRole("row").filter({ hasText: "token.create" }).first().click();
  const details = page.getByRole("region", { name: "Details of token.create" });
  await expect(details).toContainText("Signed-in session");
  await expect(details.locator("pre").first()).toContainText(TOKEN_NAME);
  await page.screenshot({ path: artifact("25-audit-analyst"), fullPage: true });

  // The filters are in the URL: a reload shows the same view.
  await page.reload();
  await expect(page.getByRole("search", { name: "Filter the audit records" }).getByLabel("User")).toHaveValue(ANALYST);
  await expect(records.getByText("token.revoke", { exact: true }).first()).toBeVisible();

  // Who created the analyst: the administrator's user.create record, naming the analyst as its target.
  await search.getByLabel("User").fill("admin");
  await search.getByLabel("Action").fill("user.create");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/actor=admin&action=user\.create/);
  const created = records.getByRole("row").filter({ hasText: `User ${ANALYST}` });
  await expect(created).toHaveCount(1);
  await expect(created).toContainText("Success");
  await page.screenshot({ path: artifact("26-audit-user-create") });

  await search.getByLabel("User").fill("nobody-at-all");
  await search.getByLabel("Action").fill("");
  await search.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No audit records match these filters")).toBeVisible();
});

test("Sign out everywhere ends the administrator's other sessions too", async ({ page, browser, baseURL }) => {
  await signIn(page, "admin", ADMIN_PASSWORD);
  await expect(page.getByRole("navigation", { name: "Workspaces" })).toBeVisible();
  const other = await browser.newContext({ baseURL });
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, "admin", ADMIN_PASSWORD);
    await expect(otherPage.getByRole("navigation", { name: "Workspaces" })).toBeVisible();

    await page.getByRole("button", { name: "Account options" }).click();
    await page.getByRole("button", { name: "Sign out everywhere…" }).click();
    const confirm = page.getByRole("alertdialog", { name: "Sign out everywhere?" });
    await expect(confirm).toContainText("in every browser, including this one");
    await page.screenshot({ path: artifact("27-sign-out-everywhere") });
    await confirm.getByRole("button", { name: "Sign out everywhere" }).click();
    await expect(page).toHaveURL(/\/login/);

    await otherPage.goto("/administration/sites");
    await expect(otherPage).toHaveURL(/\/login\?next=/);
  } finally {
    await other.close();
  }
});
