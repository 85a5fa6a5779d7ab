import type { ComponentType, ReactNode } from "react";
import { Route, Routes } from "react-router";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { nodesOf, type Workspace } from "./definitions.ts";
import { PlaceholderPage, type NodePageProps } from "./NodePage.tsx";

export type PageMap = Partial<Record<string, ComponentType<NodePageProps>>>;

/**
 * One route per node of the workspace (its page from `pages`, or a placeholder), then `children` (routes below a node,
 * such as one run of Synchronization Runs); anything else is not found.
 */
export function WorkspaceRoutes({
  workspace,
  pages = {},
  children,
}: {
  workspace: Workspace;
  pages?: PageMap;
  children?: ReactNode;
}) {
  return (
    <Routes>
      {nodesOf(workspace).map((node) => {
        const Page = pages[node.id] ?? PlaceholderPage;
        const relative = node.path.slice(workspace.path.length).replace(/^\//, "");
        return relative === "" ? (
          <Route key={node.id} index element={<Page node={node} />} />
        ) : (
          <Route key={node.id} path={relative} element={<Page node={node} />} />
        );
      })}
      {children}
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
