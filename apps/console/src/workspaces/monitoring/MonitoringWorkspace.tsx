import { lazy } from "react";
import { Route } from "react-router";
import { monitoring } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import SupSyncStatusPage from "./SupSyncStatusPage.tsx";
import SyncRunPage from "./SyncRunPage.tsx";
import SyncRunsPage from "./SyncRunsPage.tsx";

// Not on the way to the default page (Synchronization Status): its own chunk, loaded on first visit.
const AlertsPage = lazy(() => import("./AlertsPage.tsx"));
const HierarchyPage = lazy(() => import("./HierarchyPage.tsx"));
const SiteSyncPage = lazy(() => import("./SiteSyncPage.tsx"));

const pages: PageMap = {
  "monitoring.alerts": AlertsPage,
  "monitoring.hierarchy": HierarchyPage,
  "monitoring.sup-sync-status": SupSyncStatusPage,
  "monitoring.sync-runs": SyncRunsPage,
};

export default function MonitoringWorkspace() {
  return (
    <WorkspaceRoutes workspace={monitoring} pages={pages}>
      <Route path="sync-runs/:id" element={<SyncRunPage />} />
      <Route path="sites/:code" element={<SiteSyncPage />} />
    </WorkspaceRoutes>
  );
}
