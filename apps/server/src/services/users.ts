import type { RoleName } from "@syncpoint/contracts";
import { Role } from "@syncpoint/db";

const TO_NAME: Record<Role, RoleName> = {
  [Role.full_administrator]: "full-administrator",
  [Role.software_update_manager]: "software-update-manager",
  [Role.read_only_analyst]: "read-only-analyst",
};

/** The database enum's member as the public role name. */
export function roleName(role: Role): RoleName {
  return TO_NAME[role];
}
