import type { Page } from "@playwright/test";

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
