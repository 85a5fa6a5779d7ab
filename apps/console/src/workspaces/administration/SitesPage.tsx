import type { SiteNode } from "@syncpoint/contracts";
import { lazy, Suspense, useId, useMemo, useState, type CSSProperties } from "react";
import { useTranslation } from "react-i18next";
import { useSites } from "../../api/sites.ts";
import { ActionBar, ActionButton } from "../../components/ActionBar.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { useRowSelection } from "../../components/useRowSelection.ts";
import { siteTypeLabel, syncSourceLabel } from "../../i18n/labels.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { siteActionReasons } from "./site-actions.ts";
import { DeleteSiteDialog, SiteDialog, type SiteDialogMode } from "./SiteDialogs.tsx";

// The component properties (tabs, the products tree) are for those who change them: their own chunk.
const SupComponentProperties = lazy(() => import("./SupComponentProperties.tsx"));

type OpenDialog = SiteDialogMode | { kind: "delete"; site: SiteNode } | { kind: "components" };

interface SiteRow {
  site: SiteNode;
  depth: number;
}

/** The hierarchy, depth first: each site directly followed by its children, one level deeper. */
export function flattenSites(sites: readonly SiteNode[], depth = 0): SiteRow[] {
  return sites.flatMap((site) => [{ site, depth }, ...flattenSites(site.children, depth + 1)]);
}

/** Administration › Site Configuration › Sites: the site hierarchy with each site's software update point. */
export function SitesPage({ node }: NodePageProps) {
  const { t, i18n } = useTranslation();
  const sites = useSites();
  const rows = useMemo(() => flattenSites(sites.data?.items ?? []), [sites.data]);
  const [selectedCode, setSelectedCode] = useState<string>();
  const selected = rows.find((row) => row.site.code === selectedCode)?.site;
  const rowProps = useRowSelection(
    rows.map((row) => row.site.code),
    selected?.code,
    setSelectedCode,
  );
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [notice, setNotice] = useState("");
  const captionId = useId();
  const reasons = siteActionReasons(t, sites.data?.items ?? [], selected);
  const done = (message: string) => {
    setDialog(null);
    setNotice(message);
  };
  const versionFormat = useMemo(
    () => new Intl.NumberFormat(i18n.resolvedLanguage, { useGrouping: false }),
    [i18n.resolvedLanguage],
  );

  let content;
  if (sites.isPending) {
    content = (
      <p role="status" className="state-message">
        {t("sites.loading")}
      </p>
    );
  } else if (sites.isError) {
    content = (
      <div role="alert" className="message message--error">
        <p>{t("sites.loadFailed")}</p>
        <p>
          <ErrorText error={sites.error} />
        </p>
        <button type="button" className="button" onClick={() => void sites.refetch()} disabled={sites.isFetching}>
          {t("common.retry")}
        </button>
      </div>
    );
  } else if (rows.length === 0) {
    content = <p className="state-message">{t("sites.empty")}</p>;
  } else {
    content = (
      <div className="table-frame">
        {/* A table, not a grid: the rows are selected with the mouse or the keyboard (useRowSelection). */}
        <table aria-labelledby={captionId} className="data-table data-table--select sites-table">
          <caption id={captionId}>{t("sites.count", { count: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("sites.columns.code")}</th>
              <th scope="col">{t("sites.columns.name")}</th>
              <th scope="col">{t("sites.columns.type")}</th>
              <th scope="col">{t("sites.columns.parent")}</th>
              <th scope="col">{t("sites.columns.supServer")}</th>
              <th scope="col">{t("sites.columns.syncSource")}</th>
              <th scope="col">{t("sites.columns.catalogVersion")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ site, depth }) => (
              <tr key={site.code} {...rowProps(site.code)} data-site-type={site.type} data-site-code={site.code}>
                <th scope="row" className="sites-table__code" style={{ "--depth": depth } as CSSProperties}>
                  {site.code}
                </th>
                <td>{site.name}</td>
                <td>{siteTypeLabel(t, site.type)}</td>
                <td>{site.parentCode ?? t("sites.noParent")}</td>
                <SupCells site={site} format={versionFormat} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      <ActionBar label={t("sites.actions.label")}>
        <ActionButton
          permission="sites.edit"
          unavailableReason={reasons.addPrimary}
          onClick={() => selected && setDialog({ kind: "add", type: "primary", parent: selected })}
        >
          {t("sites.actions.addPrimary")}
        </ActionButton>
        <ActionButton
          permission="sites.edit"
          unavailableReason={reasons.addSecondary}
          onClick={() => selected && setDialog({ kind: "add", type: "secondary", parent: selected })}
        >
          {t("sites.actions.addSecondary")}
        </ActionButton>
        <ActionButton
          permission="sites.edit"
          unavailableReason={reasons.properties}
          onClick={() => selected && setDialog({ kind: "edit", site: selected })}
        >
          {t("sites.actions.properties")}
        </ActionButton>
        <ActionButton
          permission="sites.edit"
          variant="danger"
          unavailableReason={reasons.delete}
          onClick={() => selected && setDialog({ kind: "delete", site: selected })}
        >
          {t("sites.actions.delete")}
        </ActionButton>
        <ActionButton
          permission="settings.edit"
          unavailableReason={reasons.components}
          onClick={() => setDialog({ kind: "components" })}
        >
          {t("sites.actions.configureSup")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {content}
      {dialog && (dialog.kind === "add" || dialog.kind === "edit") && (
        <SiteDialog mode={dialog} onClose={() => setDialog(null)} onDone={done} />
      )}
      {dialog?.kind === "delete" && (
        <DeleteSiteDialog
          site={dialog.site}
          onClose={() => setDialog(null)}
          onDone={(message) => {
            setSelectedCode(undefined);
            done(message);
          }}
        />
      )}
      {dialog?.kind === "components" && (
        <Suspense fallback={<p className="busy">{t("common.loading")}</p>}>
          <SupComponentProperties
            onClose={() => setDialog(null)}
            onSaved={() => setNotice(t("componentProperties.saved"))}
          />
        </Suspense>
      )}
    </NodePage>
  );
}

/** The software update point columns; a site with several SUPs lists one per line in each column. */
function SupCells({ site, format }: { site: SiteNode; format: Intl.NumberFormat }) {
  const { t } = useTranslation();
  if (site.sups.length === 0) {
    return (
      <>
        <td className="muted sites-table__server">{t("sites.noSup")}</td>
        <td className="muted">{t("sites.notApplicable")}</td>
        <td className="muted numeric">{t("sites.notApplicable")}</td>
      </>
    );
  }
  const lines = (render: (sup: SiteNode["sups"][number]) => string) =>
    site.sups.map((sup) => (
      <span key={sup.serverName} className="cell-line">
        {render(sup)}
      </span>
    ));
  return (
    <>
      <td className="sites-table__server">{lines((sup) => sup.serverName)}</td>
      <td>{lines((sup) => syncSourceLabel(t, sup.syncSource))}</td>
      <td className="numeric">{lines((sup) => format.format(sup.catalogVersion))}</td>
    </>
  );
}
