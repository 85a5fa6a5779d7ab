import { administration } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import { SitesPage } from "./SitesPage.tsx";

const pages: PageMap = { "administration.sites": SitesPage };

export default function AdministrationWorkspace() {
  return <WorkspaceRoutes workspace={administration} pages={pages} />;
}
