// Console labels for API vocabulary values. Each value maps to a static key so the key check can see every key.
import type { Permission, RoleName, SiteType, SyncSource } from "@syncpoint/contracts";
import type { TFunction } from "i18next";

export function roleLabel(t: TFunction, role: RoleName): string {
  switch (role) {
    case "full-administrator":
      return t("roles.fullAdministrator");
    case "software-update-manager":
      return t("roles.softwareUpdateManager");
    case "read-only-analyst":
      return t("roles.readOnlyAnalyst");
  }
}

export function siteTypeLabel(t: TFunction, type: SiteType): string {
  switch (type) {
    case "central":
      return t("siteTypes.central");
    case "primary":
      return t("siteTypes.primary");
    case "secondary":
      return t("siteTypes.secondary");
  }
}

export function syncSourceLabel(t: TFunction, source: SyncSource): string {
  switch (source) {
    case "microsoft-update":
      return t("syncSources.microsoftUpdate");
    case "upstream-url":
      return t("syncSources.upstreamUrl");
    case "parent":
      return t("syncSources.parent");
    case "disconnected":
      return t("syncSources.disconnected");
  }
}

/** What a permission allows, as it reads after "Your role cannot …" (the contracts' PERMISSION_LABELS, translated). */
export function permissionAction(t: TFunction, permission: Permission): string {
  switch (permission) {
    case "read":
      return t("permissions.actions.read");
    case "sync.run":
      return t("permissions.actions.syncRun");
    case "sync.schedule":
      return t("permissions.actions.syncSchedule");
    case "settings.edit":
      return t("permissions.actions.settingsEdit");
    case "sites.edit":
      return t("permissions.actions.sitesEdit");
    case "updates.import":
      return t("permissions.actions.updatesImport");
    case "alerts.acknowledge":
      return t("permissions.actions.alertsAcknowledge");
    case "users.manage":
      return t("permissions.actions.usersManage");
    case "tokens.manage":
      return t("permissions.actions.tokensManage");
  }
}
