import { softwareLibrary } from "../definitions.ts";
import { WorkspaceRoutes } from "../WorkspaceRoutes.tsx";

export default function SoftwareLibraryWorkspace() {
  return <WorkspaceRoutes workspace={softwareLibrary} />;
}
