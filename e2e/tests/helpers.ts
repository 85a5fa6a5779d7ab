import type { APIRequestContext, Page } from "@playwright/test";

export const ADMIN_PASSWORD = "e2e: a long enough passphrase";

export function artifact(name: string): string {
  return new URL(`../artifacts/${name}.png`, import.meta.url).pathname;
}

/** Signs in through the login page and, unless told the sign-in should fail, waits until it has left the page. */
export async function signIn(
  page: Page,
  username: string,
  password: string,
  options: { expectFailure?: boolean } = {},
): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("User name").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  if (!options.expectFailure) await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/**
 * Lets a spec run on its own (`playwright test tests/04-…`): the administrator's generated password is changed to
 * ADMIN_PASSWORD by 01-shell; when that spec has not run on this stack, it is changed here, through the API.
 */
export async function ensureAdminPassword(request: APIRequestContext): Promise<void> {
  const login = await request.post("/api/auth/login", { data: { username: "admin", password: ADMIN_PASSWORD } });
  if (!login.ok()) {
    const generated = process.env.SYNCPOINT_E2E_GENERATED_PASSWORD!;
    const first = await request.post("/api/auth/login", { data: { username: "admin", password: generated } });
    if (!first.ok()) throw new Error(`admin cannot sign in: HTTP ${first.status()} ${await first.text()}`);
    const changed = await request.post("/api/auth/change-password", {
      data: { currentPassword: generated, newPassword: ADMIN_PASSWORD },
    });
    if (!changed.ok()) throw new Error(`the admin password was not changed: HTTP ${changed.status()}`);
  }
  await request.post("/api/auth/logout", { data: {} });
}
