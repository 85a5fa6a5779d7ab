// Console labels for API vocabulary values. Each value maps to a static key so the key check can see every key.
import type { RoleName, SiteType, SyncSource } from "@syncpoint/contracts";
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
