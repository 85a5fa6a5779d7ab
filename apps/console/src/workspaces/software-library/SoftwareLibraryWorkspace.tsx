import { softwareLibrary } from "../definitions.ts";
import { WorkspaceRoutes, type PageMap } from "../WorkspaceRoutes.tsx";
import AllSoftwareUpdatesPage from "./AllSoftwareUpdatesPage.tsx";

const pages: PageMap = {
  "software-library.all-software-updates": AllSoftwareUpdatesPage,
};

export default function SoftwareLibraryWorkspace() {
  return <WorkspaceRoutes workspace={softwareLibrary} pages={pages} />;
}
