// Issue #10: a field the server refused is worded in the console's language from the reason code and params the server
// sends with it (details.fields[].code/params), not in the server's English; a field without a code, or with a code
// newer than the console, keeps the server's English message, marked lang="en".
import { FIELD_REASONS, type SiteNode, type SupSettingsDto } from "@syncpoint/contracts";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import i18next from "i18next";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError } from "../../api/client.ts";
import { fieldErrorText, localizedFields } from "../../api/error-text.ts";
import { FormField } from "../../components/FormField.tsx";
import { fieldReasonText } from "../../i18n/field-reasons.ts";
import { AVAILABLE_LOCALES, setLocale } from "../../i18n/index.ts";
import { adminMe } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { supSettings } from "../../test-utils/settings-fixtures.ts";
import { subscriptionFieldErrors } from "./notification-form.ts";

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await setLocale("en-US");
});

const tree: SiteNode[] = [
  {
    code: "CAS",
    name: "Central",
    type: "central",
    parentCode: null,
    sups: [{ serverName: "cas.contoso.com", syncSource: "upstream-url", catalogVersion: 3 }],
    children: [],
  },
];

const HOST_REFUSED = "wsus.other.example:8530 is not one of the upstream hosts this installation allows";

describe("a field error with a reason code", () => {
  it("shows the upstream URL's refusal in German under the field, not the server's English", async () => {
    const settings: SupSettingsDto = supSettings();
    const calls = mockApi({
      "GET /api/auth/me": () => json(200, { ...adminMe, locale: "de-DE" }),
      "GET /api/sites": () => json(200, { items: tree }),
      "GET /api/sup-settings": () => json(200, settings),
      "GET /api/categories": () => json(200, { items: [] }),
      "GET /api/sup-settings/schedule-preview": () => json(200, { times: [] }),
      "PUT /api/sup-settings": () =>
        errorEnvelope(400, "UPSTREAM_URL_NOT_ALLOWED", `body.upstreamUrl: ${HOST_REFUSED}`, {
          fields: [
            {
              field: "body.upstreamUrl",
              message: HOST_REFUSED,
              code: "url_host_not_allowed",
              params: { host: "wsus.other.example:8530" },
            },
          ],
        }),
    });
    renderApp("/administration/sites");
    await waitFor(() => expect(i18next.language).toBe("de-DE"));
    const de = i18next.getFixedT("de-DE");
    const grid = await screen.findByRole("table", { name: de("sites.count", { count: 1 }) });
    fireEvent.click(within(grid).getByRole("rowheader", { name: "CAS" }).closest("tr")!);
    fireEvent.click(screen.getByRole("button", { name: de("sites.actions.configureSup") }));
    const dialog = await screen.findByRole("dialog", { name: de("componentProperties.title") });
    const url = within(dialog).getByLabelText(de("componentProperties.sync.upstreamUrl"));
    fireEvent.change(url, { target: { value: "http://wsus.other.example:8530" } });
    fireEvent.click(within(dialog).getByRole("button", { name: de("componentProperties.apply") }));

    await waitFor(() => expect(url.getAttribute("aria-invalid")).toBe("true"));
    const error = document.getElementById(url.getAttribute("aria-describedby")!.split(" ").at(-1)!)!;
    expect(error.textContent).toBe(
      "wsus.other.example:8530 gehört nicht zu den Upstreamservern, die diese Installation zulässt (UPSTREAM_ALLOWED_HOSTS).",
    );
    expect(error.querySelector("[lang]")).toBeNull();
    expect(dialog.textContent).not.toContain(HOST_REFUSED);
    expect(calls.filter((c) => c.method === "PUT").map((c) => c.body)).toEqual([
      { upstreamUrl: "http://wsus.other.example:8530" },
    ]);
  });

  it("words a limit from its params in Swedish, with the language's plural forms", async () => {
    await setLocale("sv-SE");
    const error = new ApiError(
      400,
      "VALIDATION_FAILED",
      "body.secret: Too small: expected string to have >=16 characters",
      [
        {
          field: "body.secret",
          message: "Too small: expected string to have >=16 characters",
          code: "too_short",
          params: { min: 16 },
        },
        {
          field: "body.targets.0",
          message: "the target is an http or https URL",
          code: "url_scheme_not_allowed",
          params: { scheme: "ftp" },
        },
        {
          field: "body.targets",
          message: "Too big: expected array to have exactly 1 items",
          code: "wrong_count",
          params: { count: 1 },
        },
      ],
      undefined,
      true,
    );
    expect(localizedFields(i18next.t, error.fields).map((f) => f.message)).toEqual([
      "Ange minst 16 tecken.",
      "Endast http- och https-URL:er tillåts, inte ftp.",
      "Ange exakt 1 post.",
    ]);
    render(<FormField id="secret" label="x" error={fieldErrorText(i18next.t, error.fields[0]!)} input={{}} />);
    expect(screen.getByText("Ange minst 16 tecken.").querySelector("[lang]")).toBeNull();
  });

  it('keeps the server\'s English, marked lang="en", for a reason the console does not know or a field without one', async () => {
    await setLocale("sv-SE");
    const future = { field: "body.targets.0", message: "the mailbox is full", code: "mailbox_full" };
    const none = { field: "body.name", message: "the name is reserved" };
    const fields = localizedFields(i18next.t, [future, none]);
    expect(fields.map((f) => f.message)).toEqual(["the mailbox is full", "the name is reserved"]);
    const { errors } = subscriptionFieldErrors(fields, {
      kind: "email",
      name: "ops",
      targets: ["ops@contoso.com"],
      events: ["sync-failed"],
      enabled: true,
    });
    render(<FormField id="targets" label="x" error={errors.targets} input={{}} />);
    const message = screen.getByText("the mailbox is full");
    expect(message.getAttribute("lang")).toBe("en");
    expect(message.parentElement!.textContent).toBe("ops@contoso.com: the mailbox is full");
  });
});

describe("fieldReasonText", () => {
  const params = {
    min: 2,
    max: 5,
    count: 1,
    values: "email, webhook",
    keys: "extra",
    scheme: "ftp",
    host: "wsus.example",
    site: "P01",
    parent: "CAS",
    serverName: "p01.contoso.com",
  };
  it.each(AVAILABLE_LOCALES)("words every reason the server sends in %s", async (locale) => {
    await setLocale(locale);
    for (const reason of Object.keys(FIELD_REASONS)) {
      const text = fieldReasonText(i18next.t, reason, params);
      expect(text, reason).toBeTruthy();
      expect(text, reason).not.toMatch(/fieldErrors\.|\{\{/);
    }
    expect(fieldReasonText(i18next.t, "no_such_reason", params)).toBeUndefined();
    // A sentence that names a param it was not given is left to the server's message.
    expect(fieldReasonText(i18next.t, "url_host_not_allowed", {})).toBeUndefined();
  });
});
