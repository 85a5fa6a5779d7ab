import type {
  CreateNotificationSubscriptionRequest,
  Me,
  NotificationSubscriptionDto,
  SupSettingsDto,
  UpdateSupSettingsRequest,
} from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, analystMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi, type ApiCall, type Handler } from "../../test-utils/mock-api.ts";
import { opsWebhook, patchTeam, subscription } from "../../test-utils/notification-fixtures.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { supSettings } from "../../test-utils/settings-fixtures.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const PATH = "/administration/notifications";
const SUBSCRIPTIONS = "/api/notification-subscriptions";
const READ_ONLY = "Your role (Read-only Analyst) cannot change software update point settings.";
const SMTP = {
  host: "smtp.contoso.com",
  port: 587,
  secure: false,
  username: "syncpoint",
  hasPassword: true,
  from: null,
} satisfies SupSettingsDto["smtp"];

/** A 400 VALIDATION_FAILED naming one field, as the server's zod validation answers. */
const refusal = (field: string, message: string) => () =>
  errorEnvelope(400, "VALIDATION_FAILED", `${field}: ${message}`, { fields: [{ field, message }] });

/**
 * A server that keeps the subscriptions and the settings as the real one does: POST adds (answering 201 with the DTO,
 * the secret reduced to hasSecret), DELETE removes, PUT changes the settings and moves updatedAt on. `refuse` answers
 * the next POSTs or PUTs with these responses instead, one each.
 */
function serve(
  me: Me,
  initial: NotificationSubscriptionDto[],
  {
    settings = supSettings(),
    routes = {},
    refuse = {},
  }: {
    settings?: SupSettingsDto;
    routes?: Record<string, Handler>;
    refuse?: { post?: (() => Response)[]; put?: (() => Response)[] };
  } = {},
) {
  const refusePost = [...(refuse.post ?? [])];
  const refusePut = [...(refuse.put ?? [])];
  let items = [...initial];
  let stored = settings;
  let added = 0;
  const deletes = Object.fromEntries(
    initial.map((s): [string, Handler] => [
      `DELETE ${SUBSCRIPTIONS}/${s.id}`,
      () => {
        items = items.filter((item) => item.id !== s.id);
        return new Response(null, { status: 204 });
      },
    ]),
  );
  const calls = mockApi({
    "GET /api/auth/me": () => json(200, me),
    [`GET ${SUBSCRIPTIONS}`]: () => json(200, { items }),
    [`POST ${SUBSCRIPTIONS}`]: ({ body }) => {
      const refused = refusePost.shift();
      if (refused) return refused();
      const request = body as CreateNotificationSubscriptionRequest;
      added += 1;
      const created = subscription(10 + added, {
        name: request.name,
        kind: request.kind,
        targets: request.targets,
        events: request.events,
        hasSecret: request.kind === "webhook" && request.secret !== undefined,
        createdAt: "2026-11-24T10:00:00.000Z",
        createdBy: me.username,
      });
      items = [...items, created];
      return json(201, created);
    },
    ...deletes,
    "GET /api/sup-settings": () => json(200, stored),
    "PUT /api/sup-settings": ({ body }) => {
      const refused = refusePut.shift();
      if (refused) return refused();
      const { smtp } = body as UpdateSupSettingsRequest;
      const before = stored.smtp;
      stored = {
        ...stored,
        smtp:
          smtp === null || smtp === undefined
            ? null
            : {
                host: smtp.host,
                port: smtp.port,
                secure: smtp.secure,
                username: smtp.username === undefined ? (before?.username ?? null) : smtp.username,
                from: smtp.from === undefined ? (before?.from ?? null) : smtp.from,
                hasPassword: smtp.password === undefined ? (before?.hasPassword ?? false) : Boolean(smtp.password),
              },
        updatedAt: new Date(Date.parse(stored.updatedAt) + 1000).toISOString(),
      };
      return json(200, stored);
    },
    ...routes,
  });
  return { calls, refuse: { post: refusePost, put: refusePut } };
}

const posts = (calls: ApiCall[], path = SUBSCRIPTIONS) =>
  calls.filter((c) => c.method === "POST" && c.path === path).map((c) => c.body);
const puts = (calls: ApiCall[]) => calls.filter((c) => c.method === "PUT").map((c) => c.body);
const ribbon = () => screen.getByRole("toolbar", { name: "Subscription actions" });
const action = (name: string) => within(ribbon()).getByRole("button", { name }) as HTMLButtonElement;
const rowOf = (id: string) => document.querySelector<HTMLTableRowElement>(`tr[data-subscription-id="${id}"]`)!;
const mailForm = () => screen.getByRole("form", { name: "Mail server (SMTP)" });
const mailField = (label: string) => within(mailForm()).getByLabelText(label) as HTMLInputElement;
const mailButton = (name: string) =>
  within(screen.getByRole("toolbar", { name: "Mail server actions" })).getByRole("button", {
    name,
  }) as HTMLButtonElement;

/** A cell's lines: the items of its list, or its text. */
const cellText = (cell: HTMLTableCellElement) => {
  const items = cell.querySelectorAll("li");
  return items.length > 0 ? [...items].map((li) => li.textContent).join(" | ") : cell.textContent;
};

async function openAddDialog() {
  fireEvent.click(action("Add subscription"));
  return screen.findByRole("dialog", { name: "Add subscription" });
}

describe("Administration › Notifications", () => {
  it("lists the subscriptions: kind, recipients or URL, events in words, enabled, signed, who created them and when", async () => {
    serve(adminMe, [patchTeam, opsWebhook]);
    renderApp(PATH);
    expect(await screen.findByRole("heading", { level: 1, name: "Notifications" })).toBeTruthy();
    const grid = await screen.findByRole("grid", { name: "2 subscriptions" });
    expect(within(grid).getByRole("row", { name: /Patch team/ })).toBeTruthy();
    expect(
      within(grid)
        .getAllByRole("columnheader")
        .map((h) => h.textContent),
    ).toEqual(["Name", "Type", "Recipients or URL", "Events", "Enabled", "Signature", "Created by", "Created"]);
    const created = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short" });
    expect([...rowOf(patchTeam.id).cells].map(cellText)).toEqual([
      "Patch team",
      "Email",
      "patch-team@contoso.com | oncall@contoso.com",
      "Synchronization failed | Synchronization recovered",
      "Yes",
      "—",
      "admin",
      created.format(new Date(patchTeam.createdAt)),
    ]);
    expect([...rowOf(opsWebhook.id).cells].map(cellText)).toEqual([
      "Operations channel",
      "Webhook",
      "https://hooks.contoso.com/syncpoint",
      "Synchronization failed | Synchronization stalled | New products or classifications",
      "Yes",
      "Signed",
      "mona",
      created.format(new Date(opsWebhook.createdAt)),
    ]);

    // In the navigation pane right after Synchronization Schedule.
    const pane = screen.getByRole("navigation", { name: "Navigation pane" });
    const links = within(pane)
      .getAllByRole("link")
      .map((link) => link.textContent);
    expect(
      links.slice(links.indexOf("Synchronization Schedule"), links.indexOf("Synchronization Schedule") + 2),
    ).toEqual(["Synchronization Schedule", "Notifications"]);
  });

  it("says what subscriptions are for when there are none, shows loading, and offers a retry when the list fails", async () => {
    serve(adminMe, []);
    renderApp(PATH);
    expect(
      await screen.findByText(
        "Nobody is told when a synchronization fails. Add a subscription to send an email or call a webhook when a synchronization fails, recovers or makes no progress, or when new products or classifications appear.",
      ),
    ).toBeTruthy();
    expect(screen.queryByRole("grid")).toBeNull();
    cleanup();

    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      [`GET ${SUBSCRIPTIONS}`]: () => new Promise<Response>(() => undefined),
      "GET /api/sup-settings": () => json(200, supSettings()),
    });
    renderApp(PATH);
    expect(await screen.findByText("Loading the notification subscriptions…")).toBeTruthy();
    cleanup();

    let fail = true;
    mockApi({
      "GET /api/auth/me": () => json(200, adminMe),
      [`GET ${SUBSCRIPTIONS}`]: () =>
        fail
          ? errorEnvelope(500, "INTERNAL_ERROR", "Something went wrong on the server.")
          : json(200, { items: [patchTeam] }),
      "GET /api/sup-settings": () => json(200, supSettings()),
    });
    renderApp(PATH);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The notification subscriptions could not be loaded.");
    expect(alert.textContent).toContain("Something went wrong on the server.");
    fail = false;
    fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("grid", { name: "1 subscription" })).toBeTruthy();
  });

  it("adds an email subscription: required fields checked first, the server's refusal of a recipient shown on the recipients", async () => {
    const { calls } = serve(adminMe, [patchTeam], {
      refuse: { post: [refusal("body.targets.2", "each target is an email address")] },
    });
    renderApp(PATH);
    await screen.findByRole("grid");
    const dialog = await openAddDialog();
    const field = (label: string) => within(dialog).getByLabelText(label) as HTMLInputElement;
    const box = (name: string) => within(dialog).getByRole("checkbox", { name }) as HTMLInputElement;
    expect((within(dialog).getByRole("radio", { name: "Email" }) as HTMLInputElement).checked).toBe(true);
    expect(
      [
        "Synchronization failed",
        "Synchronization recovered",
        "Synchronization stalled",
        "New products or classifications",
      ].map((name) => box(name).checked),
    ).toEqual([true, true, false, false]);
    expect(document.activeElement).toBe(field("Name"));

    // Nothing typed: refused here, each message under its field, the focus on the first.
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(descriptionOf(field("Name"))).toContain("Enter a name.");
    expect(descriptionOf(field("Recipients"))).toContain("Enter at least one email address.");
    expect(document.activeElement).toBe(field("Name"));
    fireEvent.click(box("Synchronization failed"));
    fireEvent.click(box("Synchronization recovered"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(within(dialog).getByRole("group", { name: "Notify about" }).textContent).toContain(
      "Choose at least one event.",
    );
    expect(posts(calls)).toEqual([]);

    fireEvent.change(field("Name"), { target: { value: "  Service desk " } });
    fireEvent.change(field("Recipients"), {
      target: { value: "desk@contoso.com, lead@contoso.com\nnot-an-address;\nDESK@contoso.com" },
    });
    fireEvent.click(box("Synchronization stalled"));
    fireEvent.click(box("Synchronization failed"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    // The server refuses the third address: its message, naming the address, on the recipients field.
    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toBe("The subscription was not added. Correct the fields marked below.");
    expect(descriptionOf(field("Recipients"))).toContain("not-an-address: each target is an email address");
    expect(field("Recipients").getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(field("Recipients"));
    expect(posts(calls)).toEqual([
      {
        kind: "email",
        name: "Service desk",
        targets: ["desk@contoso.com", "lead@contoso.com", "not-an-address"],
        events: ["sync-failed", "sync-stalled"],
        enabled: true,
      },
    ]);

    fireEvent.change(field("Recipients"), { target: { value: "desk@contoso.com\nlead@contoso.com" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(posts(calls)[1]).toMatchObject({ targets: ["desk@contoso.com", "lead@contoso.com"] });
    expect(await screen.findByText("The subscription “Service desk” was added.")).toBeTruthy();
    const row = await screen.findByRole("row", { name: /Service desk/ });
    expect(row.getAttribute("aria-selected")).toBe("true");
  });

  it("adds a webhook signed with a generated secret that is shown only in the dialog; the list then says Signed", async () => {
    // Known bytes, so that the secret shown can be checked: 00 08 10 … f8.
    const getRandomValues = vi.spyOn(crypto, "getRandomValues").mockImplementation((array) => {
      const bytes = array as Uint8Array;
      bytes.forEach((_, i) => (bytes[i] = i * 8));
      return array;
    });
    const secret = Array.from({ length: 32 }, (_, i) => (i * 8).toString(16).padStart(2, "0")).join("");
    // An ftp:// URL passes the console's check (something is typed): the server's answer is what refuses it.
    const { calls } = serve(adminMe, [], {
      refuse: { post: [refusal("body.targets.0", "the target is an http or https URL")] },
    });
    renderApp(PATH);
    await screen.findByText(/Nobody is told/);
    const dialog = await openAddDialog();
    const field = (label: string) => within(dialog).getByLabelText(label) as HTMLInputElement;
    fireEvent.change(field("Name"), { target: { value: "Operations channel" } });
    fireEvent.click(within(dialog).getByRole("radio", { name: "Webhook" }));
    expect(within(dialog).queryByLabelText("Recipients")).toBeNull();
    expect(descriptionOf(field("Signing secret (optional)"))).toContain(
      "X-Syncpoint-Signature: sha256=<hex HMAC of the body>",
    );
    expect(descriptionOf(field("Signing secret (optional)"))).toContain("shown only here, never again");

    // A secret too short to be safe is refused here.
    fireEvent.change(field("URL"), { target: { value: "ftp://hooks.contoso.com/ops" } });
    fireEvent.change(field("Signing secret (optional)"), { target: { value: "too short" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    expect(descriptionOf(field("Signing secret (optional)"))).toContain(
      "Enter at least 16 characters, or Generate a secret.",
    );
    expect(posts(calls)).toEqual([]);

    fireEvent.click(within(dialog).getByRole("button", { name: "Generate" }));
    expect(getRandomValues).toHaveBeenCalledTimes(1);
    expect((getRandomValues.mock.calls[0]![0] as Uint8Array).length).toBe(32);
    expect(field("Signing secret (optional)").value).toBe(secret);
    expect(descriptionOf(field("Signing secret (optional)"))).not.toContain("Enter at least 16 characters");

    // The server's refusal of the URL (body.targets.0) goes to the URL field.
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    await waitFor(() => expect(descriptionOf(field("URL"))).toContain("the target is an http or https URL"));
    expect(document.activeElement).toBe(field("URL"));

    fireEvent.change(field("URL"), { target: { value: "https://hooks.contoso.com/ops" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Add" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(posts(calls)).toEqual([
      {
        kind: "webhook",
        name: "Operations channel",
        targets: ["ftp://hooks.contoso.com/ops"],
        events: ["sync-failed", "sync-recovered"],
        secret,
        enabled: true,
      },
      {
        kind: "webhook",
        name: "Operations channel",
        targets: ["https://hooks.contoso.com/ops"],
        events: ["sync-failed", "sync-recovered"],
        secret,
        enabled: true,
      },
    ]);
    const row = (await screen.findByRole("row", { name: /Operations channel/ })) as HTMLTableRowElement;
    expect(row.cells[5]!.textContent).toBe("Signed");
    // Never again: not in the page's text, nor in any field.
    expect(document.body.textContent).not.toContain(secret);
    expect([...document.querySelectorAll("input")].some((input) => input.value === secret)).toBe(false);
  });

  it("sends a test notification to the selected subscription and says Delivered, or Not delivered and why", async () => {
    const { calls } = serve(adminMe, [patchTeam, opsWebhook], {
      routes: {
        [`POST ${SUBSCRIPTIONS}/${opsWebhook.id}/test`]: () =>
          json(200, { deliveryId: "d0000000-0000-4000-8000-000000000001", state: "delivered", lastError: null }),
        [`POST ${SUBSCRIPTIONS}/${patchTeam.id}/test`]: () =>
          json(200, {
            deliveryId: "d0000000-0000-4000-8000-000000000002",
            state: "failed",
            lastError: "SMTP is not configured: set the SMTP server in the settings.",
          }),
      },
    });
    renderApp(PATH);
    await screen.findByRole("grid");
    expect(action("Send test").disabled).toBe(true);
    expect(descriptionOf(action("Send test"))).toBe(
      "Select a subscription in the list to send it a test notification.",
    );

    fireEvent.click(within(rowOf(opsWebhook.id)).getByText("Operations channel"));
    expect(action("Send test").disabled).toBe(false);
    fireEvent.click(action("Send test"));
    let result = await screen.findByRole("region", { name: "Test notification to “Operations channel”" });
    expect(result.querySelector("p")!.textContent).toBe("Delivered");
    expect(posts(calls, `${SUBSCRIPTIONS}/${opsWebhook.id}/test`)).toEqual([{}]);

    fireEvent.click(within(rowOf(patchTeam.id)).getByText("Patch team"));
    fireEvent.click(action("Send test"));
    result = await screen.findByRole("region", { name: "Test notification to “Patch team”" });
    expect(result.querySelector("p")!.textContent).toBe(
      "Not delivered: SMTP is not configured: set the SMTP server in the settings.",
    );
    expect(screen.queryByRole("region", { name: "Test notification to “Operations channel”" })).toBeNull();
  });

  it("deletes the selected subscription after a confirmation that names it", async () => {
    const { calls } = serve(adminMe, [patchTeam, opsWebhook]);
    renderApp(PATH);
    await screen.findByRole("grid");
    expect(descriptionOf(action("Delete"))).toBe("Select a subscription in the list to delete it.");
    fireEvent.click(within(rowOf(opsWebhook.id)).getByText("Operations channel"));
    fireEvent.click(action("Delete"));
    let dialog = await screen.findByRole("alertdialog", { name: "Delete subscription" });
    expect(dialog.textContent).toContain("Delete the subscription “Operations channel”?");
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls.filter((c) => c.method === "DELETE")).toEqual([]);

    fireEvent.click(action("Delete"));
    dialog = await screen.findByRole("alertdialog", { name: "Delete subscription" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete" }));
    expect(await screen.findByText("The subscription “Operations channel” was deleted.")).toBeTruthy();
    expect(calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      `${SUBSCRIPTIONS}/${opsWebhook.id}`,
    ]);
    await screen.findByRole("grid", { name: "1 subscription" });
    expect(rowOf(opsWebhook.id)).toBeNull();
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(action("Delete").disabled).toBe(true);
  });

  it("saves the mail server with a PUT of smtp alone, and never shows the password again", async () => {
    const { calls, refuse } = serve(adminMe, []);
    renderApp(PATH);
    await screen.findByRole("form", { name: "Mail server (SMTP)" });
    expect(screen.getByText("No mail server is set: email subscriptions cannot be sent until one is.")).toBeTruthy();
    expect(mailField("Port").value).toBe("587");
    expect(mailField("Use SSL/TLS").checked).toBe(false);
    expect(mailField("Password").placeholder).toBe("");
    expect(within(mailForm()).queryByLabelText("Clear the saved password")).toBeNull();
    expect(mailButton("Save").disabled).toBe(true);
    expect(descriptionOf(mailButton("Save"))).toBe("Change a setting to save it.");
    expect(descriptionOf(mailButton("Remove mail server"))).toBe("No mail server is set.");

    // Checked here: a server name and a port in range.
    fireEvent.change(mailField("Port"), { target: { value: "70000" } });
    fireEvent.click(mailButton("Save"));
    expect(descriptionOf(mailField("Server"))).toContain("Enter the mail server's host name.");
    expect(descriptionOf(mailField("Port"))).toContain("Enter a port from 1 to 65535.");
    expect(document.activeElement).toBe(mailField("Server"));
    expect(puts(calls)).toEqual([]);

    fireEvent.change(mailField("Server"), { target: { value: " smtp.contoso.com " } });
    fireEvent.change(mailField("Port"), { target: { value: "587" } });
    // TLS from the start: the port follows to 465 (and back).
    fireEvent.click(mailField("Use SSL/TLS"));
    expect(mailField("Port").value).toBe("465");
    fireEvent.click(mailField("Use SSL/TLS"));
    expect(mailField("Port").value).toBe("587");
    fireEvent.click(mailField("Use SSL/TLS"));
    fireEvent.change(mailField("User name"), { target: { value: "syncpoint" } });
    fireEvent.change(mailField("Password"), { target: { value: "s3cret-Pa55word" } });
    fireEvent.change(mailField("Sender address"), { target: { value: "syncpoint@contoso.com" } });
    fireEvent.click(mailButton("Save"));

    expect(await screen.findByText("The mail server was saved.")).toBeTruthy();
    expect(puts(calls)).toEqual([
      {
        smtp: {
          host: "smtp.contoso.com",
          port: 465,
          secure: true,
          username: "syncpoint",
          from: "syncpoint@contoso.com",
          password: "s3cret-Pa55word",
        },
      },
    ]);
    // Saved: the field is empty again and says a password is kept; the password is nowhere in the page.
    await waitFor(() => expect(mailField("Password").placeholder).toBe("unchanged"));
    expect(mailField("Password").value).toBe("");
    expect(document.body.textContent).not.toContain("s3cret-Pa55word");
    expect([...document.querySelectorAll("input")].some((input) => input.value === "s3cret-Pa55word")).toBe(false);
    expect(mailButton("Save").disabled).toBe(true);
    expect(mailButton("Remove mail server").disabled).toBe(false);

    // A second save without a new password leaves it out (kept); the server's field error lands on its field.
    refuse.put.push(refusal("body.smtp.from", "from is an email address"));
    fireEvent.change(mailField("Sender address"), { target: { value: "syncpoint at contoso" } });
    fireEvent.click(mailButton("Save"));
    await waitFor(() => expect(descriptionOf(mailField("Sender address"))).toContain("from is an email address"));
    expect(within(mailForm()).getByRole("alert").textContent).toContain(
      "The mail server was not saved. Correct the fields marked below.",
    );
    expect(puts(calls).at(-1)).toEqual({
      smtp: { host: "smtp.contoso.com", port: 465, secure: true, username: "syncpoint", from: "syncpoint at contoso" },
    });
  });

  it("clears the saved password, and removes the mail server after a confirmation", async () => {
    const { calls } = serve(adminMe, [], { settings: supSettings({ smtp: SMTP }) });
    renderApp(PATH);
    await screen.findByRole("form", { name: "Mail server (SMTP)" });
    expect(mailField("Server").value).toBe("smtp.contoso.com");
    expect(mailField("User name").value).toBe("syncpoint");
    expect(mailField("Password").value).toBe("");
    expect(mailField("Password").placeholder).toBe("unchanged");

    fireEvent.click(mailField("Clear the saved password"));
    expect(mailField("Password").disabled).toBe(true);
    fireEvent.click(mailButton("Save"));
    expect(await screen.findByText("The mail server was saved.")).toBeTruthy();
    expect(puts(calls)).toEqual([
      {
        smtp: { host: "smtp.contoso.com", port: 587, secure: false, username: "syncpoint", from: null, password: null },
      },
    ]);
    await waitFor(() => expect(within(mailForm()).queryByLabelText("Clear the saved password")).toBeNull());
    expect(mailField("Password").placeholder).toBe("");

    fireEvent.click(mailButton("Remove mail server"));
    let dialog = await screen.findByRole("alertdialog", { name: "Remove mail server" });
    expect(dialog.textContent).toContain("Remove the mail server smtp.contoso.com?");
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(puts(calls)).toHaveLength(1);
    fireEvent.click(mailButton("Remove mail server"));
    dialog = await screen.findByRole("alertdialog", { name: "Remove mail server" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Remove" }));
    expect(await screen.findByText("The mail server was removed.")).toBeTruthy();
    expect(puts(calls).at(-1)).toEqual({ smtp: null });
    expect(mailField("Server").value).toBe("");
    expect(screen.getByText("No mail server is set: email subscriptions cannot be sent until one is.")).toBeTruthy();
    expect(mailButton("Remove mail server").disabled).toBe(true);
  });

  it("shows a Read-only Analyst everything, disabled, with the reason", async () => {
    const { calls } = serve(analystMe, [patchTeam, opsWebhook], { settings: supSettings({ smtp: SMTP }) });
    renderApp(PATH);
    await screen.findByRole("grid", { name: "2 subscriptions" });
    fireEvent.click(within(rowOf(opsWebhook.id)).getByText("Operations channel"));
    for (const name of ["Add subscription", "Send test", "Delete"]) {
      expect(action(name).disabled, name).toBe(true);
      expect(descriptionOf(action(name)), name).toBe(READ_ONLY);
    }
    await screen.findByRole("form", { name: "Mail server (SMTP)" });
    expect(mailField("Server").value).toBe("smtp.contoso.com");
    for (const label of [
      "Server",
      "Port",
      "Use SSL/TLS",
      "User name",
      "Password",
      "Clear the saved password",
      "Sender address",
    ]) {
      expect(mailField(label).matches(":disabled"), label).toBe(true);
    }
    for (const name of ["Save", "Remove mail server"]) {
      expect(mailButton(name).disabled, name).toBe(true);
      expect(descriptionOf(mailButton(name)), name).toBe(READ_ONLY);
    }
    // Said once below the mail server's actions, not beside each button.
    expect(within(mailForm()).getAllByText(READ_ONLY)).toHaveLength(1);
    expect(calls.filter((c) => c.method !== "GET")).toEqual([]);
  });
});
