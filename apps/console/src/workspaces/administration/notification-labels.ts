// How subscription kinds and events read in the console. Static keys, so that the i18n check sees each of them.
import type { NotificationEvent, NotificationKind } from "@syncpoint/contracts";
import type { TFunction } from "i18next";

export function eventLabel(t: TFunction, event: NotificationEvent): string {
  switch (event) {
    case "sync-failed":
      return t("notifications.events.syncFailed");
    case "sync-recovered":
      return t("notifications.events.syncRecovered");
    case "sync-stalled":
      return t("notifications.events.syncStalled");
    case "new-categories":
      return t("notifications.events.newCategories");
  }
}

export function kindLabel(t: TFunction, kind: NotificationKind): string {
  switch (kind) {
    case "email":
      return t("notifications.kinds.email");
    case "webhook":
      return t("notifications.kinds.webhook");
  }
}
