import type { CategoryDto, SiteNode, SupSettingsDto, TestConnectionResult } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { adminMe, descriptionOf } from "../../test-utils/fixtures.ts";
import { errorEnvelope, json, mockApi, type Handler } from "../../test-utils/mock-api.ts";
import { renderApp } from "../../test-utils/render-app.tsx";
import { SECOND_TUESDAYS, supSettings } from "../../test-utils/settings-fixtures.ts";
import { buildProductTree, filterProductTree } from "./products-tree.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
const category = (
  n: number,
  type: CategoryDto["type"],
  title: string,
  parentIds: string[] = [],
  isNew = false,
): CategoryDto => ({ id: guid(n), type, title, parentIds, firstSeenAt: "2026-11-01T00:00:00.000Z", isNew });

const CRITICAL = category(1, "UpdateClassification", "Critical Updates");
const SECURITY = category(2, "UpdateClassification", "Security Updates");
const DRIVERS = category(3, "UpdateClassification", "Drivers", [], true);
const MICROSOFT = category(10, "Company", "Microsoft Corporation");
const WINDOWS = category(11, "ProductFamily", "Windows", [MICROSOFT.id]);
const OFFICE = category(12, "ProductFamily", "Office", [MICROSOFT.id]);
const WIN11 = category(21, "Product", "Windows 11", [WINDOWS.id]);
const WIN10 = category(22, "Product", "Windows 10", [WINDOWS.id]);
const SERVER = category(23, "Product", "Windows Server 2025", [WINDOWS.id], true);
const M365 = category(24, "Product", "Microsoft 365 Apps", [OFFICE.id]);
const PRODUCTS = [MICROSOFT, WINDOWS, OFFICE, WIN11, WIN10, SERVER, M365];

const tree: SiteNode[] = [
  {
    code: "CAS",
    name: "Central",
    type: "central",
    parentCode: null,
    sups: [{ serverName: "cas.contoso.com", syncSource: "upstream-url", catalogVersion: 3 }],
    children: [
      {
        code: "P01",
        name: "Primary",
        type: "primary",
        parentCode: "CAS",
        sups: [{ serverName: "p01.contoso.com", syncSource: "parent", catalogVersion: 3 }],
        children: [],
      },
    ],
  },
];

const initial = () =>
  supSettings({
    classifications: [CRITICAL.id],
    products: [WIN11.id],
    proxy: { url: "http://proxy.contoso.com:8080", username: "svc-sup", hasPassword: true },
  });

/** What POST /api/sup-settings/test-connection answers. */
let testAnswer: TestConnectionResult | undefined;

/** Every other Saturday at 23:30 in Berlin, as the server would preview it. */
const SATURDAYS = ["2026-11-28T22:30:00.000Z", "2026-12-12T22:30:00.000Z", "2026-12-26T22:30:00.000Z"];

function serve(put?: Handler) {
  let settings: SupSettingsDto = initial();
  const calls = mockApi({
    "GET /api/auth/me": () => json(200, adminMe),
    "GET /api/sites": () => json(200, { items: tree }),
    "GET /api/sup-settings": () => json(200, settings),
    "GET /api/categories": ({ url }) =>
      json(200, {
        items: url.searchParams.get("type") === "classification" ? [CRITICAL, SECURITY, DRIVERS] : PRODUCTS,
      }),
    "POST /api/sup-settings/test-connection": () => json(200, testAnswer),
    "GET /api/sup-settings/schedule-preview": () => json(200, { times: SATURDAYS }),
    "PUT /api/sup-settings": (request) => {
      if (put) return put(request);
      settings = { ...settings, ...(request.body as Partial<SupSettingsDto>) };
      return json(200, settings);
    },
  });
  return calls;
}

async function open(code = "CAS") {
  renderApp("/administration/sites");
  const grid = await screen.findByRole("table", { name: /sites$/ });
  fireEvent.click(within(grid).getByRole("rowheader", { name: code }).closest("tr")!);
  fireEvent.click(screen.getByRole("button", { name: "Configure Site Components › Software Update Point" }));
  return screen.findByRole("dialog", { name: "Software Update Point Component Properties" });
}

const tab = (dialog: HTMLElement, name: string) => within(dialog).getByRole("tab", { name: new RegExp(`^${name}`) });
const puts = (calls: ReturnType<typeof mockApi>) => calls.filter((c) => c.method === "PUT").map((c) => c.body);

describe("Software Update Point Component Properties", () => {
  it("shows the settings in tabs, with the proxy password as unchanged", async () => {
    serve();
    const dialog = await open();
    expect(
      within(dialog)
        .getAllByRole("tab")
        .map((t) => t.textContent),
    ).toEqual([
      "Sync Settings",
      "Classifications",
      "Products",
      "Sync Schedule",
      "Supersedence Rules",
      "Languages",
      "WSUS Maintenance",
      "Maximum Run Time",
    ]);
    expect(
      (within(dialog).getByLabelText("Synchronize from an upstream data source location (URL)") as HTMLInputElement)
        .checked,
    ).toBe(true);
    expect((within(dialog).getByLabelText("Upstream data source URL") as HTMLInputElement).value).toBe(
      "http://upstream.test:8530",
    );
    const password = within(dialog).getByLabelText("Password") as HTMLInputElement;
    expect(password.value).toBe("");
    expect(password.placeholder).toBe("(unchanged)");

    fireEvent.click(tab(dialog, "Languages"));
    expect((within(dialog).getByLabelText("English (en)") as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByLabelText("Chinese (Simplified) (zh-cn)") as HTMLInputElement).checked).toBe(false);
  });

  it("is only for the top-level site", async () => {
    serve();
    renderApp("/administration/sites");
    const grid = await screen.findByRole("table", { name: /sites$/ });
    fireEvent.click(within(grid).getByRole("rowheader", { name: "P01" }).closest("tr")!);
    const configure = screen.getByRole("button", { name: "Configure Site Components › Software Update Point" });
    expect((configure as HTMLButtonElement).disabled).toBe(true);
  });

  it("Apply sends only the changed classifications and keeps the dialog open; OK closes", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Classifications"));
    const drivers = await within(dialog).findByLabelText(/^Drivers/);
    expect(within(dialog).getByText("New")).toBeTruthy();
    fireEvent.click(drivers);
    fireEvent.click(within(dialog).getByRole("button", { name: "Apply" }));
    expect(await within(dialog).findByText("The changes were applied.")).toBeTruthy();
    expect(puts(calls)).toEqual([{ classifications: [CRITICAL.id, DRIVERS.id].sort() }]);
    expect((within(dialog).getByRole("button", { name: "Apply" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(tab(dialog, "Maximum Run Time"));
    fireEvent.change(within(dialog).getByLabelText("Other updates"), { target: { value: "90" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "OK" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(puts(calls)[1]).toEqual({ maxRunTimeMinutes: { feature: 120, windowsOrOffice: 60, other: 90 } });
  });

  it("sends the proxy without the password unless one is typed", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.change(within(dialog).getByLabelText("User name"), { target: { value: "svc-sup2" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Apply" }));
    await within(dialog).findByText("The changes were applied.");
    fireEvent.change(within(dialog).getByLabelText("Password"), { target: { value: "s3cret" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Apply" }));
    await waitFor(() => expect(puts(calls)).toHaveLength(2));
    expect(puts(calls)).toEqual([
      { proxy: { url: "http://proxy.contoso.com:8080", username: "svc-sup2" } },
      { proxy: { url: "http://proxy.contoso.com:8080", username: "svc-sup2", password: "s3cret" } },
    ]);
  });

  it("builds the products tree, searches it, selects a whole family and marks new products", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Products"));
    const products = await within(dialog).findByRole("list", { name: "Products" });
    expect(within(products).getByText("Microsoft Corporation")).toBeTruthy();
    expect((within(products).getByLabelText("Windows 11") as HTMLInputElement).checked).toBe(true);
    expect(
      within(products)
        .getByLabelText(/Windows Server 2025/)
        .closest(".checkbox-field")?.textContent,
    ).toContain("New");
    const selectAllWindows = within(products).getByLabelText("Select all of Windows") as HTMLInputElement;
    expect(selectAllWindows.indeterminate).toBe(true);

    fireEvent.change(within(dialog).getByLabelText("Search products"), { target: { value: "365" } });
    expect(within(products).queryByLabelText("Windows 11")).toBeNull();
    expect(within(products).getByLabelText("Microsoft 365 Apps")).toBeTruthy();
    fireEvent.change(within(dialog).getByLabelText("Search products"), { target: { value: "" } });

    fireEvent.click(within(products).getByLabelText("Select all of Windows"));
    fireEvent.click(within(dialog).getByRole("button", { name: "OK" }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(puts(calls)[0]).toEqual({ products: [WIN11.id, WIN10.id, SERVER.id].sort() });
  });

  it("checks the fields and switches to the tab with the error", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Maximum Run Time"));
    fireEvent.change(within(dialog).getByLabelText("Feature updates for Windows"), { target: { value: "0" } });
    fireEvent.click(tab(dialog, "Classifications"));
    fireEvent.click(within(dialog).getByRole("button", { name: "OK" }));
    expect(tab(dialog, "Maximum Run Time").getAttribute("aria-selected")).toBe("true");
    expect(within(dialog).getByText("Enter 1 to 9999 minutes.")).toBeTruthy();
    expect(puts(calls)).toEqual([]);
  });

  it("shows the server's field errors on their tab", async () => {
    serve(() =>
      errorEnvelope(400, "VALIDATION_FAILED", "The request is not valid.", {
        fields: [{ field: "body.supersedence.featureMonths", message: "featureMonths is 1–99" }],
      }),
    );
    const dialog = await open();
    fireEvent.click(tab(dialog, "Supersedence Rules"));
    const fields = within(dialog).getAllByLabelText("Months");
    fireEvent.change(fields[1]!, { target: { value: "12" } });
    fireEvent.click(tab(dialog, "Languages"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Apply" }));
    expect(await within(dialog).findByText("featureMonths is 1–99")).toBeTruthy();
    expect(tab(dialog, "Supersedence Rules").getAttribute("aria-selected")).toBe("true");
  });

  it("warns before closing with unsaved changes", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Languages"));
    fireEvent.click(within(dialog).getByLabelText("German (de)"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    const warning = within(dialog).getByRole("alert");
    expect(warning.textContent).toContain("You have unsaved changes.");
    fireEvent.click(within(warning).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByRole("dialog")).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    fireEvent.click(within(dialog).getByRole("button", { name: "Discard changes" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(puts(calls)).toEqual([]);
  });

  it("tests the saved connection and shows each step; with unsaved changes it says to apply first", async () => {
    serve();
    const answer: TestConnectionResult = {
      ok: false,
      url: "http://upstream.test:8530",
      steps: [
        { step: "GetAuthConfig", ok: true, ms: 12 },
        { step: "GetAuthorizationCookie", ok: false, ms: 30 },
      ],
      errorCode: "UPSTREAM_AUTH_FAILED",
      message: "The upstream refused the authorization cookie.",
      protocolVersion: null,
    };
    const dialog = await open();
    testAnswer = answer;
    fireEvent.change(within(dialog).getByLabelText("Upstream data source URL"), {
      target: { value: "http://other.test:8530" },
    });
    const test = within(dialog).getByRole("button", { name: "Test connection" }) as HTMLButtonElement;
    expect(test.disabled).toBe(true);
    expect(descriptionOf(test)).toBe("Apply the changes first: Test connection uses the saved settings.");
    fireEvent.change(within(dialog).getByLabelText("Upstream data source URL"), {
      target: { value: "http://upstream.test:8530" },
    });
    fireEvent.click(within(dialog).getByRole("button", { name: "Test connection" }));
    const steps = await within(dialog).findByRole("list", { name: /steps/i });
    expect(
      within(steps)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual([
      expect.stringContaining("GetAuthConfig"),
      expect.stringContaining("GetAuthorizationCookie"),
      expect.stringContaining("GetCookie"),
      expect.stringContaining("GetConfigData"),
    ]);
    expect(within(dialog).getByText("The upstream refused the authorization cookie.")).toBeTruthy();
  });

  it("the Sync Schedule tab has the schedule's fields, a summary and the next three times of the saved schedule", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Sync Schedule"));
    const panel = within(dialog).getByRole("tabpanel");
    expect((within(panel).getByLabelText("Enable synchronization on a schedule") as HTMLInputElement).checked).toBe(
      true,
    );
    expect((within(panel).getByRole("radio", { name: "Custom schedule" }) as HTMLInputElement).checked).toBe(true);
    expect((within(panel).getByLabelText("Recurrence pattern") as HTMLSelectElement).value).toBe("monthly");
    expect((within(panel).getByLabelText("On the") as HTMLSelectElement).value).toBe("2");
    expect((within(panel).getByLabelText("Time zone") as HTMLSelectElement).value).toBe("Europe/Berlin");
    expect(
      (
        within(panel).getByLabelText(
          "Alert when synchronization fails on any site in the hierarchy",
        ) as HTMLInputElement
      ).checked,
    ).toBe(true);
    // The page's retry and stall settings are not on ConfigMgr's tab: a link leads there.
    expect(within(panel).queryByLabelText("Retry a failed synchronization after (minutes)")).toBeNull();
    expect(
      within(panel).getByRole("link", { name: "Administration › Synchronization Schedule" }).getAttribute("href"),
    ).toBe("/administration/synchronization-schedule");

    const next = within(panel).getByRole("region", { name: "Next synchronizations" });
    expect(next.textContent).toContain("On the second Tuesday of every month at 02:00 (Europe/Berlin).");
    expect(
      within(next)
        .getAllByRole("listitem")
        .map((li) => li.querySelector("time")!.getAttribute("datetime")),
    ).toEqual(SECOND_TUESDAYS.slice(0, 3));
    // The saved schedule's times come with the settings: nothing to preview.
    expect(calls.some((c) => c.path.startsWith("/api/sup-settings/schedule-preview"))).toBe(false);
  });

  it("previews an edited schedule's next three times and saves it with the other tabs' changes", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Sync Schedule"));
    const panel = within(dialog).getByRole("tabpanel");
    fireEvent.change(within(panel).getByLabelText("Recurrence pattern"), { target: { value: "weekly" } });
    fireEvent.change(within(panel).getByLabelText("Recur every (weeks)"), { target: { value: "2" } });
    fireEvent.change(within(panel).getByLabelText("On"), { target: { value: "6" } });
    fireEvent.change(within(panel).getByLabelText("Start time"), { target: { value: "23:30" } });
    fireEvent.click(within(panel).getByLabelText("Alert when synchronization fails on any site in the hierarchy"));

    const next = within(panel).getByRole("region", { name: "Next synchronizations" });
    expect(next.textContent).toContain("Every 2 weeks on Saturday at 23:30 (Europe/Berlin).");
    await waitFor(() =>
      expect(
        within(next)
          .queryAllByRole("listitem")
          .map((li) => li.querySelector("time")!.getAttribute("datetime")),
      ).toEqual(SATURDAYS),
    );
    expect(next.textContent).toContain("if you save it now");
    const preview = calls.filter((c) => c.path.startsWith("/api/sup-settings/schedule-preview")).at(-1)!;
    const query = new URL(preview.path, "http://console.test").searchParams;
    expect(JSON.parse(query.get("schedule")!)).toEqual({
      kind: "weekly",
      dayOfWeek: 6,
      time: "23:30",
      everyWeeks: 2,
      timeZone: "Europe/Berlin",
    });
    expect(query.get("count")).toBe("3");

    fireEvent.click(tab(dialog, "Maximum Run Time"));
    fireEvent.change(within(dialog).getByLabelText("Other updates"), { target: { value: "90" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Apply" }));
    await within(dialog).findByText("The changes were applied.");
    expect(puts(calls)).toEqual([
      {
        maxRunTimeMinutes: { feature: 120, windowsOrOffice: 60, other: 90 },
        schedule: { kind: "weekly", dayOfWeek: 6, time: "23:30", everyWeeks: 2, timeZone: "Europe/Berlin" },
        syncFailureAlert: false,
      },
    ]);
  });

  it("checks the schedule before sending and shows the error on the Sync Schedule tab", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "Sync Schedule"));
    let panel = within(dialog).getByRole("tabpanel");
    fireEvent.click(within(panel).getByRole("radio", { name: "Simple schedule" }));
    fireEvent.change(within(panel).getByLabelText("Run every"), { target: { value: "40" } });
    expect(within(panel).getByRole("region", { name: "Next synchronizations" }).textContent).toContain(
      "Correct the schedule to see when it runs.",
    );
    fireEvent.click(tab(dialog, "Languages"));
    fireEvent.click(within(dialog).getByRole("button", { name: "OK" }));
    expect(tab(dialog, "Sync Schedule").getAttribute("aria-selected")).toBe("true");
    panel = within(dialog).getByRole("tabpanel");
    expect(descriptionOf(within(panel).getByLabelText("Run every"))).toContain(
      "Enter a whole number of days from 1 to 31.",
    );
    expect(puts(calls)).toEqual([]);
  });

  it("WSUS Maintenance: removing obsolete update revisions is off by default, explained, and saved when checked", async () => {
    const calls = serve();
    const dialog = await open();
    fireEvent.click(tab(dialog, "WSUS Maintenance"));
    const panel = within(dialog).getByRole("tabpanel");
    const remove = within(panel).getByLabelText(
      "Remove obsolete update revisions from the database",
    ) as HTMLInputElement;
    expect(remove.checked).toBe(false);
    expect(descriptionOf(remove)).toContain("no site's catalog uses any more");
    expect(descriptionOf(remove)).toContain("resumes after the next synchronization");
    expect(panel.textContent).toContain("Expired updates are not declined here");

    fireEvent.click(remove);
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(within(dialog).getByRole("alert").textContent).toContain("You have unsaved changes.");
    fireEvent.click(within(dialog).getByRole("button", { name: "Keep editing" }));
    fireEvent.click(within(dialog).getByRole("button", { name: "OK" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(puts(calls)).toEqual([{ maintenance: { removeObsoleteRevisions: true } }]);
  });

  it("closes at once when nothing changed", async () => {
    serve();
    const dialog = await open();
    fireEvent.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});

describe("products tree", () => {
  it("nests companies, families and products by title", () => {
    const built = buildProductTree(PRODUCTS);
    expect(
      built.map((c) => [c.category.title, c.families.map((f) => [f.category?.title, f.products.map((p) => p.title)])]),
    ).toEqual([
      [
        "Microsoft Corporation",
        [
          ["Office", ["Microsoft 365 Apps"]],
          ["Windows", ["Windows 10", "Windows 11", "Windows Server 2025"]],
        ],
      ],
    ]);
    expect(filterProductTree(built, "server")[0]!.families.map((f) => f.products.map((p) => p.title))).toEqual([
      ["Windows Server 2025"],
    ]);
    expect(filterProductTree(built, "office")[0]!.families[0]!.products.map((p) => p.title)).toEqual([
      "Microsoft 365 Apps",
    ]);
  });
});
