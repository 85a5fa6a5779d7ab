// The console's workspaces and their node trees, as the navigation pane shows them. This file is small and part of
// the initial bundle; each workspace's pages are in a lazily loaded chunk (see ./*/…Workspace.tsx).
// Texts are functions of `t` with static keys, so the i18n key check sees every key used here.
import type { TFunction } from "i18next";

type Text = (t: TFunction) => string;

export interface ConsoleNode {
  /** Unique across the console; a workspace's page map is keyed by it. */
  id: string;
  /** The absolute path of the node's page. */
  path: string;
  title: Text;
  description: Text;
  /** A count shown beside the node's name in the navigation pane. */
  badge?: "active-alerts";
  children?: readonly ConsoleNode[];
}

export interface Workspace {
  id: "administration" | "software-library" | "monitoring";
  path: string;
  title: Text;
  /** The workspace's Overview node; every other node is below it, as in Configuration Manager. */
  root: ConsoleNode;
}

export const administration: Workspace = {
  id: "administration",
  path: "/administration",
  title: (t) => t("workspaces.administration"),
  root: {
    id: "administration.overview",
    path: "/administration",
    title: (t) => t("nodes.administration.overview.title"),
    description: (t) => t("nodes.administration.overview.description"),
    children: [
      {
        id: "administration.site-configuration",
        path: "/administration/site-configuration",
        title: (t) => t("nodes.administration.siteConfiguration.title"),
        description: (t) => t("nodes.administration.siteConfiguration.description"),
        children: [
          {
            id: "administration.sites",
            path: "/administration/sites",
            title: (t) => t("nodes.administration.sites.title"),
            description: (t) => t("nodes.administration.sites.description"),
          },
          {
            id: "administration.servers",
            path: "/administration/servers-and-site-system-roles",
            title: (t) => t("nodes.administration.servers.title"),
            description: (t) => t("nodes.administration.servers.description"),
          },
          {
            id: "administration.sync-schedule",
            path: "/administration/synchronization-schedule",
            title: (t) => t("nodes.administration.syncSchedule.title"),
            description: (t) => t("nodes.administration.syncSchedule.description"),
          },
          {
            id: "administration.notifications",
            path: "/administration/notifications",
            title: (t) => t("nodes.administration.notifications.title"),
            description: (t) => t("nodes.administration.notifications.description"),
          },
        ],
      },
      {
        id: "administration.security",
        path: "/administration/security",
        title: (t) => t("nodes.administration.security.title"),
        description: (t) => t("nodes.administration.security.description"),
        children: [
          {
            id: "administration.administrative-users",
            path: "/administration/administrative-users",
            title: (t) => t("nodes.administration.administrativeUsers.title"),
            description: (t) => t("nodes.administration.administrativeUsers.description"),
          },
          {
            id: "administration.api-tokens",
            path: "/administration/api-tokens",
            title: (t) => t("nodes.administration.apiTokens.title"),
            description: (t) => t("nodes.administration.apiTokens.description"),
          },
          {
            id: "administration.api-reference",
            path: "/administration/api-reference",
            title: (t) => t("nodes.administration.apiReference.title"),
            description: (t) => t("nodes.administration.apiReference.description"),
          },
          {
            id: "administration.audit",
            path: "/administration/audit",
            title: (t) => t("nodes.administration.audit.title"),
            description: (t) => t("nodes.administration.audit.description"),
          },
        ],
      },
    ],
  },
};

export const softwareLibrary: Workspace = {
  id: "software-library",
  path: "/software-library",
  title: (t) => t("workspaces.softwareLibrary"),
  root: {
    id: "software-library.overview",
    path: "/software-library",
    title: (t) => t("nodes.softwareLibrary.overview.title"),
    description: (t) => t("nodes.softwareLibrary.overview.description"),
    children: [
      {
        id: "software-library.software-updates",
        path: "/software-library/software-updates",
        title: (t) => t("nodes.softwareLibrary.softwareUpdates.title"),
        description: (t) => t("nodes.softwareLibrary.softwareUpdates.description"),
        children: [
          {
            id: "software-library.all-software-updates",
            path: "/software-library/software-updates/all",
            title: (t) => t("nodes.softwareLibrary.allSoftwareUpdates.title"),
            description: (t) => t("nodes.softwareLibrary.allSoftwareUpdates.description"),
          },
          {
            id: "software-library.import-updates",
            path: "/software-library/software-updates/import",
            title: (t) => t("nodes.softwareLibrary.importUpdates.title"),
            description: (t) => t("nodes.softwareLibrary.importUpdates.description"),
          },
          {
            id: "software-library.update-packages",
            path: "/software-library/software-updates/update-packages",
            title: (t) => t("nodes.softwareLibrary.updatePackages.title"),
            description: (t) => t("nodes.softwareLibrary.updatePackages.description"),
          },
        ],
      },
    ],
  },
};

export const monitoring: Workspace = {
  id: "monitoring",
  path: "/monitoring",
  title: (t) => t("workspaces.monitoring"),
  root: {
    id: "monitoring.overview",
    path: "/monitoring",
    title: (t) => t("nodes.monitoring.overview.title"),
    description: (t) => t("nodes.monitoring.overview.description"),
    children: [
      {
        id: "monitoring.alerts",
        path: "/monitoring/alerts",
        title: (t) => t("nodes.monitoring.alerts.title"),
        description: (t) => t("nodes.monitoring.alerts.description"),
        badge: "active-alerts",
      },
      {
        id: "monitoring.sup-sync-status",
        path: "/monitoring/sup-sync-status",
        title: (t) => t("nodes.monitoring.supSyncStatus.title"),
        description: (t) => t("nodes.monitoring.supSyncStatus.description"),
      },
      {
        id: "monitoring.sync-runs",
        path: "/monitoring/sync-runs",
        title: (t) => t("nodes.monitoring.syncRuns.title"),
        description: (t) => t("nodes.monitoring.syncRuns.description"),
      },
      {
        id: "monitoring.hierarchy",
        path: "/monitoring/hierarchy",
        title: (t) => t("nodes.monitoring.hierarchy.title"),
        description: (t) => t("nodes.monitoring.hierarchy.description"),
      },
    ],
  },
};

/** In the order the workspace switcher lists them. */
export const WORKSPACES: readonly Workspace[] = [administration, softwareLibrary, monitoring];

export function nodesOf(workspace: Workspace): ConsoleNode[] {
  const all: ConsoleNode[] = [];
  const visit = (node: ConsoleNode) => {
    all.push(node);
    node.children?.forEach(visit);
  };
  visit(workspace.root);
  return all;
}

/** The workspace a path belongs to, if any. */
export function workspaceOf(pathname: string): Workspace | undefined {
  return WORKSPACES.find((w) => pathname === w.path || pathname.startsWith(`${w.path}/`));
}

/** The page of one synchronization run, below Monitoring › Synchronization Runs. */
export const syncRunPath = (runId: string) => `${monitoring.path}/sync-runs/${encodeURIComponent(runId)}`;
