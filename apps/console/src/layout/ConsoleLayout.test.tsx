import type { Me } from "@syncpoint/contracts";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { errorEnvelope, json, mockApi } from "../test-utils/mock-api.ts";
import { renderApp } from "../test-utils/render-app.tsx";

const analyst: Me = {
  username: "ana",
  role: "read-only-analyst",
  permissions: ["read"],
  mustChangePassword: false,
  locale: "en-US",
  localeChosen: true,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("console layout", () => {
  it("opens on Software Update Point Synchronization Status, with the Monitoring tree and the workspace switcher", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, analyst) });
    const app = renderApp("/");
    expect(
      await screen.findByRole("heading", { level: 1, name: "Software Update Point Synchronization Status" }),
    ).toBeTruthy();
    expect(app.location().pathname).toBe("/monitoring/sup-sync-status");

    const pane = screen.getByRole("navigation", { name: "Navigation pane" });
    const current = within(pane).getByRole("link", { name: "Software Update Point Synchronization Status" });
    expect(current.getAttribute("aria-current")).toBe("page");
    expect(within(pane).getByRole("link", { name: "Overview" }).getAttribute("aria-current")).toBeNull();
    expect(within(pane).queryByRole("link", { name: "Sites" })).toBeNull();

    const workspaces = screen.getByRole("navigation", { name: "Workspaces" });
    const links = within(workspaces).getAllByRole("link");
    expect(links.map((l) => l.textContent)).toEqual(["Administration", "Software Library", "Monitoring"]);
    expect(links.map((l) => l.getAttribute("aria-current"))).toEqual([null, null, "true"]);
  });

  it("switches workspace and node through the links", async () => {
    mockApi({
      "GET /api/auth/me": () => json(200, analyst),
      "GET /api/sites": () => json(200, { items: [] }),
    });
    const app = renderApp("/monitoring");
    await screen.findByRole("heading", { level: 1, name: "Overview" });

    const pane = () => screen.getByRole("navigation", { name: "Navigation pane" });
    const workspaces = () => screen.getByRole("navigation", { name: "Workspaces" });
    // The workspace's chunk loads in a transition: the old page stays until the new one can show.
    fireEvent.click(within(workspaces()).getByRole("link", { name: "Software Library" }));
    await waitFor(() => expect(within(pane()).getByRole("heading", { level: 2 }).textContent).toBe("Software Library"));
    expect(screen.getByRole("heading", { level: 1, name: "Overview" })).toBeTruthy();
    expect(app.location().pathname).toBe("/software-library");
    expect(within(workspaces()).getByRole("link", { name: "Software Library" }).getAttribute("aria-current")).toBe(
      "page",
    );
    fireEvent.click(within(pane()).getByRole("link", { name: "All Software Updates" }));
    expect(await screen.findByRole("heading", { level: 1, name: "All Software Updates" })).toBeTruthy();
    expect(app.location().pathname).toBe("/software-library/software-updates/all");
    expect(screen.getByRole("main").textContent).toContain("Synchronize Software Updates");

    fireEvent.click(within(workspaces()).getByRole("link", { name: "Administration" }));
    fireEvent.click(await within(pane()).findByRole("link", { name: "Sites" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Sites" })).toBeTruthy();
    expect(await screen.findByText("No sites are configured.")).toBeTruthy();
    expect(document.title).toBe("Sites – Syncpoint");
  });

  it("shows a not-found node with a link home for unknown paths", async () => {
    mockApi({ "GET /api/auth/me": () => json(200, analyst) });
    renderApp("/administration/nothing-here");
    expect(await screen.findByRole("heading", { level: 1, name: "Page not found" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to the console home page" }).getAttribute("href")).toBe("/");
  });

  it("shows a loading state, not the login page, while me loads", async () => {
    let answer: (response: Response) => void = () => {};
    mockApi({ "GET /api/auth/me": () => new Promise<Response>((resolve) => (answer = resolve)) });
    const app = renderApp("/administration/sites");
    expect((await screen.findByRole("status")).textContent).toBe("Loading Syncpoint…");
    expect(screen.queryByLabelText("User name")).toBeNull();
    expect(app.location().pathname).toBe("/administration/sites");
    answer(errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue."));
    await screen.findByLabelText("User name");
    expect(app.location().search).toBe("?next=%2Fadministration%2Fsites");
  });

  it("returns to the login page when a call answers 401 (the session ended)", async () => {
    let session = true;
    mockApi({
      "GET /api/auth/me": () =>
        session ? json(200, analyst) : errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue."),
      "GET /api/sites": () => {
        session = false;
        return errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue.");
      },
    });
    const app = renderApp("/administration/sites");
    await screen.findByLabelText("User name");
    expect(app.location()).toEqual({ pathname: "/login", search: "?next=%2Fadministration%2Fsites" });
  });

  it("signs out with a JSON POST and lands on the login page, ready to come back", async () => {
    let session = true;
    const calls = mockApi({
      "GET /api/auth/me": () =>
        session ? json(200, analyst) : errorEnvelope(401, "UNAUTHENTICATED", "Sign in to continue."),
      "POST /api/auth/logout": () => {
        session = false;
        return new Response(null, { status: 204 });
      },
    });
    const app = renderApp("/monitoring/alerts");
    const banner = await screen.findByRole("banner");
    expect(banner.textContent).toContain("Signed in as ana, Read-only Analyst");
    fireEvent.click(within(banner).getByRole("button", { name: "Sign out" }));
    await screen.findByLabelText("User name");
    expect(app.location()).toEqual({ pathname: "/login", search: "?next=%2Fmonitoring%2Falerts" });
    expect(screen.queryByRole("banner")).toBeNull();
    const logout = calls.find((c) => c.path === "/api/auth/logout");
    expect(logout).toMatchObject({ method: "POST", body: {} });
    expect(logout?.headers["content-type"]).toBe("application/json");
  });
});
