import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useDocumentTitle } from "../components/useDocumentTitle.ts";
import type { ConsoleNode } from "./definitions.ts";

export interface NodePageProps {
  node: ConsoleNode;
}

/** The frame of every node page: the node's name as the page heading, its description, then the content. */
export function NodePage({ node, children }: NodePageProps & { children?: ReactNode }) {
  const { t } = useTranslation();
  const title = node.title(t);
  useDocumentTitle(title);
  return (
    <article className="node-page">
      <div className="node-page__header">
        <h1>{title}</h1>
        <p className="node-page__description">{node.description(t)}</p>
      </div>
      {children}
    </article>
  );
}

/** A node that is not built yet: its heading and a sentence on what will be there. */
export function PlaceholderPage({ node }: NodePageProps) {
  return <NodePage node={node} />;
}
