// Administration › Notifications in the browser against the real stack: a webhook subscription with a secret
// generated in the dialog, Send test delivered to a receiver this spec runs itself (whose signature is checked here
// with node:crypto over the raw body, as a receiver must), the subscription deleted after a confirmation; and a mail
// server saved (values only: no mail is sent). Screenshots are saved under e2e/artifacts.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, artifact, ensureAdminPassword, signIn } from "./helpers.ts";

test.describe.configure({ mode: "serial" });
test.use({ locale: "en-US" });

// Unique per run, so that a subscription left by an earlier, interrupted run on the same stack is not mistaken for it.
const NAME = `e2e webhook ${Date.now().toString(36)}`;
const SMTP = {
  host: "smtp.contoso.test",
  username: "syncpoint",
  password: "e2e: the mail server's password",
  from: "syncpoint@contoso.test",
};

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** The webhook receiver: records every request with its raw body (the signature covers those exact bytes). */
let receiver: Server;
let receiverURL = "";
const received: Received[] = [];
/** Whether a mail server was set before this spec: if not, the one saved here is removed again afterwards. */
let hadSmtp = true;

test.beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverURL = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/syncpoint-hook`;
});

// Whatever happens above, the next spec finds no subscription of ours and the mail server as it was.
test.afterAll(async ({ playwright }) => {
  await new Promise((resolve) => receiver.close(resolve));
  const api = await playwright.request.newContext({ baseURL: process.env.SYNCPOINT_E2E_BASE_URL });
  const login = await api.post("/api/auth/login", { data: { username: "admin", password: ADMIN_PASSWORD } });
  if (login.ok()) {
    const { items } = (await (await api.get("/api/notification-subscriptions")).json()) as {
      items: { id: string; name: string }[];
    };
    for (const item of items.filter((s) => s.name === NAME)) {
      await api.delete(`/api/notification-subscriptions/${item.id}`);
    }
    if (!hadSmtp) await api.put("/api/sup-settings", { data: { smtp: null } });
  }
  await api.dispose();
});

async function openNotifications(page: Page) {
  await page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name: "Administration" }).click();
  await page
    .getByRole("navigation", { name: "Navigation pane" })
    .getByRole("link", { name: "Notifications", exact: true })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
}

test("a signed webhook: added with a generated secret, Send test delivered and verified, deleted after a confirmation", async ({
  page,
}) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  hadSmtp = (await (await page.request.get("/api/sup-settings")).json()).smtp !== null;
  await openNotifications(page);
  const subscriptions = page.getByRole("region", { name: "Subscriptions" });
  // The list (or, on a fresh stack, the sentence saying what subscriptions are for) has loaded.
  await expect(subscriptions.getByRole("grid").or(subscriptions.getByText(/^Nobody is told/))).toBeVisible();
  await page.screenshot({ path: artifact("40-notifications") });

  const ribbon = page.getByRole("toolbar", { name: "Subscription actions" });
  await ribbon.getByRole("button", { name: "Add subscription" }).click();
  const dialog = page.getByRole("dialog", { name: "Add subscription" });
  await dialog.getByLabel("Name", { exact: true }).fill(NAME);
  await dialog.getByRole("radio", { name: "Webhook" }).check();
  await dialog.getByLabel("URL", { exact: true }).fill(receiverURL);
  const secretField = dialog.getByLabel("Signing secret (optional)");
  await expect(secretField).toHaveValue("");
  await dialog.getByRole("button", { name: "Generate" }).click();
  await expect(secretField).toHaveValue(/^[0-9a-f]{64}$/);
  const secret = await secretField.inputValue();
  await expect(dialog).toContainText("X-Syncpoint-Signature: sha256=<hex HMAC of the body>");
  await expect(dialog.getByRole("checkbox", { name: "Synchronization failed" })).toBeChecked();
  await expect(dialog.getByRole("checkbox", { name: "Synchronization recovered" })).toBeChecked();
  await page.screenshot({ path: artifact("41-add-webhook") });
  await dialog.getByRole("button", { name: "Add", exact: true }).click();
  await expect(dialog).toBeHidden();

  await expect(page.getByRole("status").filter({ hasText: `The subscription “${NAME}” was added.` })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: NAME });
  await expect(row).toContainText("Webhook");
  await expect(row).toContainText(receiverURL);
  await expect(row).toContainText("Synchronization failedSynchronization recovered");
  await expect(row).toContainText("Signed");
  // The secret was shown in the dialog only: neither the page nor the API has it now.
  await expect(page.locator("body")).not.toContainText(secret);
  expect(await (await page.request.get("/api/notification-subscriptions")).text()).not.toContain(secret);

  // Added rows are selected: Send test goes to this one.
  await expect(row).toHaveAttribute("aria-selected", "true");
  await ribbon.getByRole("button", { name: "Send test" }).click();
  const result = page.getByRole("region", { name: `Test notification to “${NAME}”` });
  await expect(result).toContainText("Delivered");
  await expect(result).not.toContainText("Not delivered");
  await page.screenshot({ path: artifact("42-test-delivered") });

  // What the receiver got: a POST of JSON whose signature is the HMAC-SHA256 of the raw body under the secret.
  const tests = received.filter(
    (r) => JSON.parse(r.body.toString("utf8")).title === "Test notification from Syncpoint",
  );
  expect(tests).toHaveLength(1);
  const [delivery] = tests;
  expect(delivery!.method).toBe("POST");
  expect(delivery!.url).toBe("/syncpoint-hook");
  expect(delivery!.headers["content-type"]).toMatch(/^application\/json/);
  const signature = String(delivery!.headers["x-syncpoint-signature"]);
  const expected = `sha256=${createHmac("sha256", secret).update(delivery!.body).digest("hex")}`;
  expect(signature).toBe(expected);
  expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
  // Any other notification this receiver got meanwhile (a real sync event) is signed the same way.
  for (const other of received) {
    expect(other.headers["x-syncpoint-signature"]).toBe(
      `sha256=${createHmac("sha256", secret).update(other.body).digest("hex")}`,
    );
  }

  await ribbon.getByRole("button", { name: "Delete" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Delete subscription" });
  await expect(confirm).toContainText(`Delete the subscription “${NAME}”?`);
  await page.screenshot({ path: artifact("43-delete-subscription") });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: `The subscription “${NAME}” was deleted.` })).toBeVisible();
  await expect(row).toHaveCount(0);
  const { items } = (await (await page.request.get("/api/notification-subscriptions")).json()) as {
    items: { name: string }[];
  };
  expect(items.map((s) => s.name)).not.toContain(NAME);
});

test("a mail server is saved with its password, which the console never shows again", async ({ page }) => {
  await ensureAdminPassword(page.request);
  await signIn(page, "admin", ADMIN_PASSWORD);
  await openNotifications(page);
  const form = page.getByRole("form", { name: "Mail server (SMTP)" });
  await form.getByLabel("Server", { exact: true }).fill(SMTP.host);
  await form.getByLabel("Port", { exact: true }).fill("587");
  // TLS from the first byte: the port follows to 465.
  await form.getByLabel("Use SSL/TLS").check();
  await expect(form.getByLabel("Port", { exact: true })).toHaveValue("465");
  await form.getByLabel("User name").fill(SMTP.username);
  await form.getByLabel("Password", { exact: true }).fill(SMTP.password);
  await form.getByLabel("Sender address").fill(SMTP.from);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "The mail server was saved." })).toBeVisible();
  await expect(form.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(form.getByLabel("Password", { exact: true })).toHaveAttribute("placeholder", "unchanged");
  await expect(form.getByRole("button", { name: "Save" })).toBeDisabled();

  const settings = await (await page.request.get("/api/sup-settings")).json();
  expect(settings.smtp).toEqual({
    host: SMTP.host,
    port: 465,
    secure: true,
    username: SMTP.username,
    hasPassword: true,
    from: SMTP.from,
  });
  expect(JSON.stringify(settings)).not.toContain(SMTP.password);
  await form.scrollIntoViewIfNeeded();
  await page.screenshot({ path: artifact("44-mail-server") });

  // Stored, not just shown: the same after a reload, the password still only "unchanged".
  await page.reload();
  await expect(form.getByLabel("Server", { exact: true })).toHaveValue(SMTP.host);
  await expect(form.getByLabel("Use SSL/TLS")).toBeChecked();
  await expect(form.getByLabel("Password", { exact: true })).toHaveValue("");
  await expect(form.getByLabel("Password", { exact: true })).toHaveAttribute("placeholder", "unchanged");
  await expect(page.locator("body")).not.toContainText(SMTP.password);
});
