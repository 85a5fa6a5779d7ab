import type { AuditEventDto, AuditPage } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { auditQueryString } from "../../../api/audit.ts";
import { analystMe } from "../../../test-utils/fixtures.ts";
import { json, mockApi, type ApiCall } from "../../../test-utils/mock-api.ts";
import { renderApp } from "../../../test-utils/render-app.tsx";
import { auditRequest, auditViewParams, readAuditView } from "./audit-view.ts";

// The API gets calendar days as the instants where they begin and end in the browser's time zone.
const startOf = (y: number, m: number, d: number) => new Date(y, m - 1, d, 0, 0, 0, 0).toISOString();
const endOf = (y: number, m: number, d: number) => new Date(y, m - 1, d, 23, 59, 59, 999).toISOString();

const event = (n: number, overrides: Partial<AuditEventDto> = {}): AuditEventDto => ({
  id: String(n),
  at: new Date(Date.UTC(2025, 4, 1, 12, 0, n)).toISOString(),
  actor: "admin",
  actorRole: "full-administrator",
  authMethod: "session",
  action: "user.create",
  targetType: "user",
  targetId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
  outcome: "success",
  errorCode: null,
  before: null,
  after: { username: `user${n}`, role: "read-only-analyst" },
  details: null,
  sourceAddress: "10.0.0.7",
  requestId: `req-${n}`,
  ...overrides,
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Serves GET /api/audit: `total` records, the page asked for. */
function serveAudit(
  total: number,
  make: (n: number) => AuditEventDto = (n) => event(n),
  routes: Parameters<typeof mockApi>[0] = {},
) {
  return mockApi({
    ...routes,
    "GET /api/auth/me": () => json(200, analystMe),
    "GET /api/audit": ({ url }) => {
      const page = Number(url.searchParams.get("page"));
      const pageSize = Number(url.searchParams.get("pageSize"));
      const first = (page - 1) * pageSize + 1;
      const items = Array.from({ length: Math.max(0, Math.min(pageSize, total - first + 1)) }, (_, i) =>
        make(first + i),
      );
      return json(200, { items, total, page, pageSize } satisfies AuditPage);
    },
  });
}

const auditCalls = (calls: ApiCall[]) => calls.filter((c) => c.path.startsWith("/api/audit")).map((c) => c.path);
const lastAuditCall = (calls: ApiCall[]) => new URLSearchParams(auditCalls(calls).at(-1)!.split("?")[1]);

describe("audit view (URL state)", () => {
  it("turns URL parameters into the API query, days into the instants where they begin and end", () => {
    const view = readAuditView(
      new URLSearchParams("actor=ana&action=user.&outcome=failure&from=2025-05-01&to=2025-05-31&page=2&pageSize=25"),
    );
    expect(auditQueryString(auditRequest(view))).toBe(
      new URLSearchParams({
        page: "2",
        pageSize: "25",
        sort: "-at",
        actor: "ana",
        action: "user.",
        outcome: "failure",
        from: startOf(2025, 5, 1),
        to: endOf(2025, 5, 31),
      }).toString(),
    );
    expect(auditViewParams(view).toString()).toBe(
      "actor=ana&action=user.&outcome=failure&from=2025-05-01&to=2025-05-31&page=2&pageSize=25",
    );
  });

  it("ignores values the API would refuse, falling back to the defaults", () => {
    const view = readAuditView(
      new URLSearchParams("outcome=maybe&from=2025-02-30&to=yesterday&page=0&pageSize=7&sort=actor"),
    );
    expect(view).toEqual({
      filters: { actor: "", action: "", outcome: "", from: "", to: "" },
      page: 1,
      pageSize: 50,
      sort: "-at",
    });
    expect(auditQueryString(auditRequest(view))).toBe("page=1&pageSize=50&sort=-at");
    expect(auditViewParams(view).toString()).toBe("");
  });
});

describe("Audit page", () => {
  it("asks the API for the filters and page in the URL and shows them in the form", async () => {
    const calls = serveAudit(160);
    renderApp("/administration/audit?actor=admin&action=user.&outcome=success&from=2025-05-01&page=2&pageSize=25");
    expect(await screen.findByRole("heading", { level: 1, name: "Audit" })).toBeTruthy();
    await screen.findByRole("grid", { name: "160 audit records" });
    expect(auditCalls(calls)).toEqual([
      `/api/audit?${new URLSearchParams({
        page: "2",
        pageSize: "25",
        sort: "-at",
        actor: "admin",
        action: "user.",
        outcome: "success",
        from: startOf(2025, 5, 1),
      })}`,
    ]);
    const search = screen.getByRole("search", { name: "Filter the audit records" });
    expect((within(search).getByLabelText("User") as HTMLInputElement).value).toBe("admin");
    expect((within(search).getByLabelText("Action") as HTMLInputElement).value).toBe("user.");
    expect((within(search).getByLabelText("Outcome") as HTMLSelectElement).value).toBe("success");
    expect((within(search).getByLabelText("From") as HTMLInputElement).value).toBe("2025-05-01");
    const pages = screen.getByRole("navigation", { name: "Pages" });
    expect(pages.textContent).toContain("Records 26–50 of 160");
    expect(pages.textContent).toContain("Page 2 of 7");
  });

  it("pages forward and back through the URL", async () => {
    const calls = serveAudit(120);
    const app = renderApp("/administration/audit");
    const table = await screen.findByRole("grid", { name: "120 audit records" });
    const pages = screen.getByRole("navigation", { name: "Pages" });
    expect(pages.textContent).toContain("Page 1 of 3");
    expect((within(pages).getByRole("button", { name: "Previous" }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(pages).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(pages.textContent).toContain("Page 2 of 3"));
    expect(app.location().search).toBe("?page=2");
    expect(lastAuditCall(calls).toString()).toBe("page=2&pageSize=50&sort=-at");
    await waitFor(() => expect(within(table).getAllByRole("row")[1]?.textContent).toContain("user51"));

    fireEvent.click(within(pages).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(pages.textContent).toContain("Page 3 of 3"));
    expect((within(pages).getByRole("button", { name: "Next" }) as HTMLButtonElement).disabled).toBe(true);
    expect(pages.textContent).toContain("Records 101–120 of 120");

    fireEvent.change(within(pages).getByLabelText("Records per page"), { target: { value: "100" } });
    await waitFor(() => expect(pages.textContent).toContain("Page 1 of 2"));
    expect(app.location().search).toBe("?pageSize=100");
    expect(lastAuditCall(calls).toString()).toBe("page=1&pageSize=100&sort=-at");
  });

  it("applies filters from the form to the URL, back on the first page, and sorts by time", async () => {
    const calls = serveAudit(80);
    const app = renderApp("/administration/audit?page=2");
    await screen.findByRole("grid", { name: "80 audit records" });
    const search = screen.getByRole("search", { name: "Filter the audit records" });
    fireEvent.change(within(search).getByLabelText("User"), { target: { value: " ana " } });
    fireEvent.change(within(search).getByLabelText("Action"), { target: { value: "auth." } });
    fireEvent.change(within(search).getByLabelText("Outcome"), { target: { value: "failure" } });
    fireEvent.change(within(search).getByLabelText("From"), { target: { value: "2025-05-01" } });
    fireEvent.change(within(search).getByLabelText("To"), { target: { value: "2025-05-02" } });
    fireEvent.click(within(search).getByRole("button", { name: "Apply" }));

    await waitFor(() =>
      expect(app.location().search).toBe("?actor=ana&action=auth.&outcome=failure&from=2025-05-01&to=2025-05-02"),
    );
    await waitFor(() =>
      expect(Object.fromEntries(lastAuditCall(calls))).toEqual({
        page: "1",
        pageSize: "50",
        sort: "-at",
        actor: "ana",
        action: "auth.",
        outcome: "failure",
        from: startOf(2025, 5, 1),
        to: endOf(2025, 5, 2),
      }),
    );

    const time = await screen.findByRole("columnheader", { name: "Time" });
    expect(time.getAttribute("aria-sort")).toBe("descending");
    fireEvent.click(within(time).getByRole("button", { name: "Time" }));
    await waitFor(() => expect(app.location().search).toContain("&sort=at"));
    expect(lastAuditCall(calls).get("sort")).toBe("at");
    await waitFor(() =>
      expect(screen.getByRole("columnheader", { name: "Time" }).getAttribute("aria-sort")).toBe("ascending"),
    );

    const apply = within(search).getByRole("button", { name: "Apply" });
    expect(search.isConnected).toBe(true);
    fireEvent.click(within(search).getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(app.location().search).toBe("?sort=at"));
    // The form shows the URL's (now empty) filters.
    expect((within(search).getByLabelText("User") as HTMLInputElement).value).toBe("");
    expect((within(search).getByLabelText("Outcome") as HTMLSelectElement).value).toBe("");
    expect(apply.isConnected).toBe(true);
  });

  it("refuses a range that ends before it starts", async () => {
    const calls = serveAudit(3);
    const app = renderApp("/administration/audit");
    await screen.findByRole("grid", { name: "3 audit records" });
    const search = screen.getByRole("search", { name: "Filter the audit records" });
    fireEvent.change(within(search).getByLabelText("From"), { target: { value: "2025-05-02" } });
    fireEvent.change(within(search).getByLabelText("To"), { target: { value: "2025-05-01" } });
    fireEvent.click(within(search).getByRole("button", { name: "Apply" }));
    expect(await within(search).findByText("The end date is before the start date.")).toBeTruthy();
    expect(app.location().search).toBe("");
    expect(auditCalls(calls)).toHaveLength(1);
  });

  it("shows a record's details below the list when it is selected", async () => {
    serveAudit(
      3,
      (n) =>
        n === 1
          ? event(1, {
              actor: "ana",
              actorRole: "read-only-analyst",
              authMethod: "token",
              action: "user.update",
              outcome: "failure",
              errorCode: "FORBIDDEN",
              before: { role: "read-only-analyst" },
              after: null,
              details: { reason: "no users.manage" },
              requestId: "req-abc",
            })
          : event(n, n === 3 ? { action: "auth.change-password", after: null } : {}),
      {
        // The records name users by id; the page names them from the user list when it can.
        "GET /api/users": () =>
          json(200, {
            items: [
              {
                id: event(3).targetId,
                username: "carol",
                role: "read-only-analyst",
                mustChangePassword: false,
                lastLoginAt: null,
                createdAt: "2025-01-01T00:00:00.000Z",
              },
            ],
          }),
      },
    );
    renderApp("/administration/audit");
    const table = await screen.findByRole("grid", { name: "3 audit records" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect([...rows[0]!.querySelectorAll("td")].map((td) => td.textContent).slice(1)).toEqual([
      "ana",
      "user.update",
      "User 00000000-0000-4000-8000-000000000001",
      "Failure (FORBIDDEN)",
      "10.0.0.7",
    ]);
    expect(rows[1]!.textContent).toContain("User user2");
    await waitFor(() => expect(rows[2]!.textContent).toContain("User carol"));
    expect(screen.getByText("Select a record to see its details.")).toBeTruthy();

    fireEvent.click(rows[0]!);
    const details = screen.getByRole("region", { name: "Details of user.update" });
    expect(details.textContent).toContain("Read-only Analyst");
    expect(details.textContent).toContain("API token");
    expect(details.textContent).toContain("req-abc");
    const blocks = [...details.querySelectorAll("pre")].map((pre) => pre.textContent);
    expect(blocks).toEqual([
      JSON.stringify({ role: "read-only-analyst" }, null, 2),
      JSON.stringify({ reason: "no users.manage" }, null, 2),
    ]);
    expect(within(details).getByRole("heading", { name: "Before" })).toBeTruthy();
    expect(within(details).queryByRole("heading", { name: "After" })).toBeNull();
  });

  it("says when no record matches the filters", async () => {
    serveAudit(0);
    renderApp("/administration/audit?actor=nobody");
    expect(await screen.findByText("No audit records match these filters.")).toBeTruthy();
    expect(screen.queryByRole("grid")).toBeNull();
    expect(screen.queryByRole("navigation", { name: "Pages" })).toBeNull();
  });
});
