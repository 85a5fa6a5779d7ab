import { lazy } from "react";
import { administration } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import { SitesPage } from "./SitesPage.tsx";

// The Security pages bring the contracts' runtime values (and with them zod): their own chunks, loaded on first visit.
const AdministrativeUsersPage = lazy(() => import("./security/AdministrativeUsersPage.tsx"));
const ApiTokensPage = lazy(() => import("./security/ApiTokensPage.tsx"));
// The API reference: for those who write scripts, seldom visited; its own chunk.
const ApiReferencePage = lazy(() => import("./security/ApiReferencePage.tsx"));
const AuditPage = lazy(() => import("./security/AuditPage.tsx"));
// The schedule form (time zones, the test-connection report) is only for those who change it: its own chunk too.
const SyncSchedulePage = lazy(() => import("./SyncSchedulePage.tsx"));
// Notifications (the subscription dialog, the mail server form) likewise: visited seldom, by those who set them up.
const NotificationsPage = lazy(() => import("./NotificationsPage.tsx"));

const pages: PageMap = {
  "administration.sites": SitesPage,
  "administration.sync-schedule": SyncSchedulePage,
  "administration.notifications": NotificationsPage,
  "administration.administrative-users": AdministrativeUsersPage,
  "administration.api-tokens": ApiTokensPage,
  "administration.api-reference": ApiReferencePage,
  "administration.audit": AuditPage,
};

export default function AdministrationWorkspace() {
  return <WorkspaceRoutes workspace={administration} pages={pages} />;
}
