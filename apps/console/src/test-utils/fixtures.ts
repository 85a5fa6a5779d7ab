// Signed-in users for tests, with the permissions the server gives their roles.
import { ROLE_PERMISSIONS, type Me, type RoleName } from "@syncpoint/contracts";

export function meAs(username: string, role: RoleName, overrides: Partial<Me> = {}): Me {
  return {
    username,
    role,
    permissions: [...ROLE_PERMISSIONS[role]],
    mustChangePassword: false,
    locale: "en-US",
    localeChosen: true,
    ...overrides,
  };
}

export const adminMe = meAs("admin", "full-administrator");
export const managerMe = meAs("mona", "software-update-manager");
export const analystMe = meAs("ana", "read-only-analyst");

/** The text of the elements an element's aria-describedby names. */
export function descriptionOf(element: Element): string {
  return (element.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent ?? `(missing #${id})`)
    .join(" ");
}
