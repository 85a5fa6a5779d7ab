import { softwareLibrary } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import AllSoftwareUpdatesPage from "./AllSoftwareUpdatesPage.tsx";
import ImportUpdatesPage from "./ImportUpdatesPage.tsx";

const pages: PageMap = {
  "software-library.all-software-updates": AllSoftwareUpdatesPage,
  "software-library.import-updates": ImportUpdatesPage,
};

export default function SoftwareLibraryWorkspace() {
  return <WorkspaceRoutes workspace={softwareLibrary} pages={pages} />;
}
