// Which Administration › Sites actions apply to the selected site, and why not when they do not (domain.md §1).
import type { SiteNode } from "@syncpoint/contracts";
import type { TFunction } from "i18next";

// The contracts' MAX_PRIMARIES_PER_CENTRAL and MAX_SECONDARIES_PER_PRIMARY, repeated: importing runtime values from the
// contracts would bring zod into the console's first chunk (the server refuses beyond them anyway).
export const MAX_PRIMARIES_PER_CENTRAL = 25;
export const MAX_SECONDARIES_PER_PRIMARY = 250;

export interface SiteActionReasons {
  addPrimary: string | undefined;
  addSecondary: string | undefined;
  properties: string | undefined;
  delete: string | undefined;
  components: string | undefined;
}

/** The reason each action is unavailable for `selected` (undefined: available). */
export function siteActionReasons(
  t: TFunction,
  topLevel: readonly SiteNode[],
  selected: SiteNode | undefined,
): SiteActionReasons {
  if (!selected) {
    const reason = t("sites.reasons.selectSite");
    return { addPrimary: reason, addSecondary: reason, properties: reason, delete: reason, components: reason };
  }
  const isTop = topLevel.some((site) => site.code === selected.code);
  const primaries = selected.children.filter((child) => child.type === "primary").length;
  const secondaries = selected.children.filter((child) => child.type === "secondary").length;
  return {
    addPrimary:
      selected.type !== "central"
        ? t("sites.reasons.primaryUnderCentral")
        : primaries >= MAX_PRIMARIES_PER_CENTRAL
          ? t("sites.reasons.primaryLimit", { max: MAX_PRIMARIES_PER_CENTRAL })
          : undefined,
    addSecondary:
      selected.type !== "primary"
        ? t("sites.reasons.secondaryUnderPrimary")
        : secondaries >= MAX_SECONDARIES_PER_PRIMARY
          ? t("sites.reasons.secondaryLimit", { max: MAX_SECONDARIES_PER_PRIMARY })
          : undefined,
    properties: undefined,
    delete: isTop
      ? t("sites.reasons.topLevel")
      : selected.children.length > 0
        ? t("sites.reasons.hasChildren", { code: selected.code })
        : undefined,
    components: isTop ? undefined : t("sites.reasons.componentsTopLevel"),
  };
}
