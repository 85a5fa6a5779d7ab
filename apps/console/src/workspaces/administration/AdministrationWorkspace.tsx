import { lazy } from "react";
import { administration } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import { SitesPage } from "./SitesPage.tsx";

// The Security pages bring the contracts' runtime values (and with them zod): their own chunks, loaded on first visit.
const AdministrativeUsersPage = lazy(() => import("./security/AdministrativeUsersPage.tsx"));
const ApiTokensPage = lazy(() => import("./security/ApiTokensPage.tsx"));
const AuditPage = lazy(() => import("./security/AuditPage.tsx"));

const pages: PageMap = {
  "administration.sites": SitesPage,
  "administration.administrative-users": AdministrativeUsersPage,
  "administration.api-tokens": ApiTokensPage,
  "administration.audit": AuditPage,
};

export default function AdministrationWorkspace() {
  return <WorkspaceRoutes workspace={administration} pages={pages} />;
}
