import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSupSyncStatus } from "../../api/sync.ts";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { syncStateLabel } from "../../i18n/sync-labels.ts";
import type { SupStatusRowView } from "../../realtime/cache.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { catalogVersions, siteSyncPath, tileOf, type StatusTile } from "./status-model.ts";

/** A site with more children than this shows only the first ones until expanded. */
export const COLLAPSE_ABOVE = 20;

export interface SiteTreeNode {
  row: SupStatusRowView;
  tile: StatusTile;
  children: SiteTreeNode[];
}

/**
 * The hierarchy as a tree of status rows (one per site; a site with several software update points shows its
 * first), roots being sites without a parent, or whose parent is not in the list.
 */
export function buildSiteTree(rows: readonly SupStatusRowView[]): SiteTreeNode[] {
  const versions = catalogVersions(rows);
  const nodes = new Map<string, SiteTreeNode>();
  for (const row of rows)
    if (!nodes.has(row.siteCode)) nodes.set(row.siteCode, { row, tile: tileOf(row, versions), children: [] });
  const roots: SiteTreeNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.row.parentCode ? nodes.get(node.row.parentCode) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: SiteTreeNode[]) => {
    list.sort((a, b) => a.row.siteCode.localeCompare(b.row.siteCode));
    list.forEach((node) => sort(node.children));
  };
  sort(roots);
  return roots;
}

/**
 * Monitoring › Hierarchy: the sites as a tree with connectors, each colored by its synchronization state. Live: it
 * reads the same status list that `sup-status` events keep current.
 */
export default function HierarchyPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const status = useSupSyncStatus();
  const roots = useMemo(() => buildSiteTree(status.data?.items ?? []), [status.data]);
  const state = queryStateMessage(status, { loading: t("supStatus.loading"), failed: t("supStatus.loadFailed") });
  return (
    <NodePage node={node}>
      {state ??
        (roots.length === 0 ? (
          <p className="state-message">{t("supStatus.empty")}</p>
        ) : (
          <ul className="hierarchy-tree" role="tree" aria-label={t("hierarchy.label")}>
            {roots.map((root) => (
              <SiteBranch key={root.row.siteCode} node={root} level={1} />
            ))}
          </ul>
        ))}
    </NodePage>
  );
}

function SiteBranch({ node, level }: { node: SiteTreeNode; level: number }) {
  const { t } = useTranslation();
  const [expanded, setExpanded] = useState(false);
  const { row, children } = node;
  const collapsed = !expanded && children.length > COLLAPSE_ABOVE;
  const shown = collapsed ? children.slice(0, COLLAPSE_ABOVE) : children;
  return (
    <li role="treeitem" aria-level={level} aria-expanded={children.length > 0 ? true : undefined} aria-selected={false}>
      <span
        className={`hierarchy-site hierarchy-site--${node.tile}`}
        data-site-code={row.siteCode}
        data-tile={node.tile}
        data-state={row.state}
      >
        <Link to={siteSyncPath(row.siteCode)}>{row.siteCode}</Link>
        <span className={`sync-state sync-state--${row.state}`}>{syncStateLabel(t, row.state)}</span>
        {node.tile === "behind" && <span className="behind">{t("supStatus.summary.behind")}</span>}
        <span className="muted">{t("hierarchy.catalog", { version: row.catalogVersion })}</span>
        {row.lastErrorCode && row.state === "failed" && <code>{row.lastErrorCode}</code>}
      </span>
      {children.length > 0 && (
        <ul role="group">
          {shown.map((child) => (
            <SiteBranch key={child.row.siteCode} node={child} level={level + 1} />
          ))}
          {children.length > COLLAPSE_ABOVE && (
            <li role="none">
              <button type="button" className="hierarchy-tree__more" onClick={() => setExpanded(!expanded)}>
                {collapsed
                  ? t("hierarchy.showMore", { count: children.length - COLLAPSE_ABOVE, site: row.siteCode })
                  : t("hierarchy.showFewer")}
              </button>
            </li>
          )}
        </ul>
      )}
    </li>
  );
}
