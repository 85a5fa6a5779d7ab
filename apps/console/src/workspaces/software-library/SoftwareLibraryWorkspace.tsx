import { softwareLibrary } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import AllSoftwareUpdatesPage from "./AllSoftwareUpdatesPage.tsx";
import ImportUpdatesPage from "./ImportUpdatesPage.tsx";
import UpdatePackagesPage from "./UpdatePackagesPage.tsx";

const pages: PageMap = {
  "software-library.all-software-updates": AllSoftwareUpdatesPage,
  "software-library.import-updates": ImportUpdatesPage,
  "software-library.update-packages": UpdatePackagesPage,
};

export default function SoftwareLibraryWorkspace() {
  return <WorkspaceRoutes workspace={softwareLibrary} pages={pages} />;
}
