import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useSyncRuns } from "../../api/sync.ts";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { Pager } from "../../components/Pager.tsx";
import { useNow } from "../../components/useNow.ts";
import { useDateTimeFormat } from "../../i18n/format.ts";
import { runTriggerLabel, syncStateLabel } from "../../i18n/sync-labels.ts";
import { syncRunPath } from "../definitions.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import { RunOutcomeCells, RunOutcomeHeaders } from "./RunOutcomeColumns.tsx";
import { isActive } from "./SyncProgress.tsx";

export const RUNS_PAGE_SIZE = 50;

/** Monitoring › Synchronization Runs: every run, newest first, with its outcome and what it changed. */
export default function SyncRunsPage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requestedPage = Number(params.get("page"));
  const page = Number.isInteger(requestedPage) && requestedPage >= 1 ? requestedPage : 1;
  const site = /^[A-Za-z0-9]{3}$/.test(params.get("site") ?? "") ? params.get("site")!.toUpperCase() : undefined;
  const runs = useSyncRuns({ page, pageSize: RUNS_PAGE_SIZE, ...(site ? { site } : {}) });
  const items = runs.data?.items ?? [];
  const formatTime = useDateTimeFormat();
  const now = useNow(items.some((run) => isActive(run.state)));
  const title = node.title(t);

  const showPage = (next: number) => {
    const nextParams = new URLSearchParams(params);
    if (next === 1) nextParams.delete("page");
    else nextParams.set("page", String(next));
    setParams(nextParams);
  };

  const state = queryStateMessage(runs, { loading: t("runs.loading"), failed: t("runs.loadFailed") });
  let list;
  if (state) {
    list = state;
  } else if (items.length === 0) {
    list = <p className="state-message">{t("runs.empty")}</p>;
  } else {
    list = (
      <div className="table-frame">
        <table aria-label={title} aria-busy={runs.isPlaceholderData || undefined} className="data-table runs-table">
          <thead>
            <tr>
              <th scope="col">{t("runs.columns.queued")}</th>
              <th scope="col">{t("runs.columns.site")}</th>
              <th scope="col">{t("runs.columns.trigger")}</th>
              <th scope="col">{t("runs.columns.type")}</th>
              <th scope="col">{t("runs.columns.state")}</th>
              <th scope="col">{t("runs.columns.started")}</th>
              <RunOutcomeHeaders />
            </tr>
          </thead>
          <tbody>
            {items.map((run) => {
              return (
                <tr key={run.id} data-state={run.state}>
                  <td className="nowrap">
                    <Link to={syncRunPath(run.id)}>{formatTime(run.queuedAt)}</Link>
                  </td>
                  <td>{run.siteCode}</td>
                  <td>{runTriggerLabel(t, run.trigger)}</td>
                  <td>{run.fullSync ? t("runs.full") : t("runs.delta")}</td>
                  <td className="nowrap">
                    <span className={`sync-state sync-state--${run.state}`}>{syncStateLabel(t, run.state)}</span>
                    {isActive(run.state) && (
                      <span className="muted"> {t("sync.progress.percent", { percent: run.percent })}</span>
                    )}
                  </td>
                  <td className="nowrap">{run.startedAt ? formatTime(run.startedAt) : t("runs.notStarted")}</td>
                  <RunOutcomeCells run={run} now={now} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <NodePage node={node}>
      {runs.data && (
        <p className="list-summary">
          <span>
            {site
              ? t("runs.countAtSite", { count: runs.data.total, site })
              : t("runs.count", { count: runs.data.total })}
          </span>
          {site && <Link to={node.path}>{t("runs.allSites")}</Link>}
        </p>
      )}
      {list}
      {runs.data && runs.data.total > 0 && (
        <Pager
          label={t("runs.paging")}
          page={page}
          pageSize={RUNS_PAGE_SIZE}
          total={runs.data.total}
          onPage={showPage}
        />
      )}
    </NodePage>
  );
}
