import { useTranslation } from "react-i18next";
import { Link, NavLink, useLocation } from "react-router";
import { useActiveAlertCount } from "../api/alerts.ts";
import { WORKSPACES, workspaceOf, type ConsoleNode } from "../workspaces/definitions.ts";

/** The left pane: the current workspace's node tree, and the workspace switcher at its bottom. */
export function NavigationPane() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const workspace = workspaceOf(pathname);

  return (
    <nav aria-label={t("layout.navigationPane")} className="nav-pane">
      <div className="nav-pane__tree">
        {workspace && (
          <>
            <h2 className="nav-pane__title">{workspace.title(t)}</h2>
            <ul className="tree">
              <TreeNode node={workspace.root} />
            </ul>
          </>
        )}
      </div>
      <WorkspaceSwitcher pathname={pathname} />
    </nav>
  );
}

function TreeNode({ node }: { node: ConsoleNode }) {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const hasChildren = !!node.children?.length;
  return (
    <li
      className={["tree__item", hasChildren ? "tree__item--folder" : "", node.badge ? "tree__item--badge" : ""]
        .filter(Boolean)
        .join(" ")}
    >
      {/* A folder is current only on its own page (`end`); a leaf also on the pages below it (a run of Synchronization
          Runs), as "true" rather than "page". */}
      <NavLink
        to={node.path}
        end={hasChildren}
        className="tree__link"
        aria-current={pathname === node.path ? "page" : "true"}
      >
        {node.title(t)}
      </NavLink>
      {node.badge === "active-alerts" && <ActiveAlertsBadge />}
      {hasChildren && (
        <ul className="tree__children">
          {node.children?.map((child) => (
            <TreeNode key={child.id} node={child} />
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * The number of active alerts, beside Monitoring › Alerts while there are any. Outside the link, so that the link keeps
 * its name; the count has its own words for assistive technology.
 */
function ActiveAlertsBadge() {
  const { t } = useTranslation();
  const count = useActiveAlertCount().data;
  if (!count) return null;
  return (
    <span className="tree__badge" title={t("alerts.activeCount", { count })}>
      <span aria-hidden="true">{count > 99 ? "99+" : count}</span>
      <span className="visually-hidden">{t("alerts.activeCount", { count })}</span>
    </span>
  );
}

function WorkspaceSwitcher({ pathname }: { pathname: string }) {
  const { t } = useTranslation();
  const current = workspaceOf(pathname);
  return (
    <nav aria-label={t("layout.workspaces")} className="workspace-switcher">
      <ul>
        {WORKSPACES.map((workspace) => {
          const isCurrent = workspace === current;
          // "page" when its own page (Overview) is shown; "true" when one of its other nodes is.
          const ariaCurrent = isCurrent ? (pathname === workspace.path ? "page" : "true") : undefined;
          return (
            <li key={workspace.id}>
              <Link
                to={workspace.path}
                aria-current={ariaCurrent}
                className={`workspace-switcher__link workspace-switcher__link--${workspace.id}`}
              >
                {workspace.title(t)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
