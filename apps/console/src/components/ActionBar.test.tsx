import { PERMISSION_LABELS, PERMISSIONS, type Me } from "@syncpoint/contracts";
import { QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import i18next from "i18next";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../api/query-client.ts";
import { queryKeys } from "../api/query-keys.ts";
import "../i18n/index.ts";
import { permissionAction } from "../i18n/labels.ts";
import { adminMe, analystMe, descriptionOf, managerMe } from "../test-utils/fixtures.ts";
import { ActionBar, ActionButton } from "./ActionBar.tsx";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function renderAs(me: Me, ui: ReactNode) {
  const queryClient = createQueryClient();
  queryClient.setQueryData(queryKeys.me(), me);
  // Nothing should be fetched: `me` is in the cache.
  vi.stubGlobal(
    "fetch",
    vi.fn(() => Promise.reject(new Error("unexpected fetch"))),
  );
  return render(<QueryClientProvider client={queryClient}>{ui}</QueryClientProvider>);
}

describe("ActionButton", () => {
  it("is disabled and says why when the role lacks the permission", () => {
    const onClick = vi.fn();
    renderAs(
      analystMe,
      <ActionButton permission="users.manage" onClick={onClick}>
        Add User
      </ActionButton>,
    );
    const button = screen.getByRole("button", { name: "Add User" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    const reason = "Your role (Read-only Analyst) cannot manage users and roles.";
    expect(descriptionOf(button)).toBe(reason);
    // Visible, not only for assistive technology.
    expect(screen.getByText(reason).className).toBe("action-reason");
    fireEvent.click(button);
    expect(onClick).not.toHaveBeenCalled();
  });

  it("is enabled, with no reason, when the role has the permission", () => {
    const onClick = vi.fn();
    renderAs(
      adminMe,
      <ActionButton permission="users.manage" onClick={onClick}>
        Add User
      </ActionButton>,
    );
    const button = screen.getByRole("button", { name: "Add User" }) as HTMLButtonElement;
    expect(button.disabled).toBe(false);
    expect(button.getAttribute("aria-describedby")).toBeNull();
    expect(screen.queryByText(/cannot/)).toBeNull();
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it("names the role and the permission for every role that lacks one", () => {
    renderAs(managerMe, <ActionButton permission="sites.edit">Add Site</ActionButton>);
    const button = screen.getByRole("button", { name: "Add Site" });
    expect((button as HTMLButtonElement).disabled).toBe(true);
    expect(descriptionOf(button)).toBe("Your role (Software Update Manager) cannot add, change or remove sites.");
  });

  it("is disabled with the given reason when the action is unavailable although permitted", () => {
    renderAs(
      adminMe,
      <ActionButton permission="users.manage" unavailableReason="Select a user first.">
        Delete
      </ActionButton>,
    );
    const button = screen.getByRole("button", { name: "Delete" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(descriptionOf(button)).toBe("Select a user first.");
  });
});

describe("ActionBar", () => {
  it("is a labelled toolbar that shows each reason once, below the actions, and moves focus with the arrow keys", () => {
    renderAs(
      analystMe,
      <ActionBar label="User actions">
        <ActionButton permission="tokens.manage">Create Token</ActionButton>
        <ActionButton permission="users.manage">Add User</ActionButton>
        <ActionButton permission="users.manage">Delete</ActionButton>
        <ActionButton permission="read">Refresh</ActionButton>
      </ActionBar>,
    );
    const toolbar = screen.getByRole("toolbar", { name: "User actions" });
    const buttons = within(toolbar).getAllByRole("button") as HTMLButtonElement[];
    expect(buttons.map((b) => [b.textContent, b.disabled])).toEqual([
      ["Create Token", false],
      ["Add User", true],
      ["Delete", true],
      ["Refresh", false],
    ]);
    const reasons = screen.getAllByText("Your role (Read-only Analyst) cannot manage users and roles.");
    expect(reasons).toHaveLength(1);
    expect(toolbar.contains(reasons[0]!)).toBe(false);
    expect(buttons[1]!.getAttribute("aria-describedby")).toBe(reasons[0]!.id);
    expect(buttons[2]!.getAttribute("aria-describedby")).toBe(reasons[0]!.id);

    buttons[0]!.focus();
    fireEvent.keyDown(buttons[0]!, { key: "ArrowRight" });
    expect(document.activeElement).toBe(buttons[3]);
    fireEvent.keyDown(buttons[3]!, { key: "ArrowRight" });
    expect(document.activeElement).toBe(buttons[0]);
  });

  it("shows no reasons when every action is available", () => {
    const { container } = renderAs(
      adminMe,
      <ActionBar label="User actions">
        <ActionButton permission="users.manage">Add User</ActionButton>
      </ActionBar>,
    );
    expect(container.querySelector(".action-bar__reasons")).toBeNull();
  });
});

describe("permission phrases", () => {
  it("are the contracts' PERMISSION_LABELS in en-US", () => {
    for (const permission of PERMISSIONS) {
      expect(permissionAction(i18next.t, permission)).toBe(PERMISSION_LABELS[permission]);
    }
  });
});
