import { monitoring } from "../definitions.ts";
import { WorkspaceRoutes } from "../WorkspaceRoutes.tsx";

export default function MonitoringWorkspace() {
  return <WorkspaceRoutes workspace={monitoring} />;
}
