// The columns both run tables end with — duration, the five counts of what the run changed, and its error code — so
// that Monitoring › Synchronization Runs and a site's run history read the same.
import { useTranslation } from "react-i18next";
import { useDurationFormat, useNumberFormat } from "../../i18n/format.ts";
import { errorCodeMeaning } from "../../i18n/sync-labels.ts";
import type { SyncRunView } from "../../realtime/cache.ts";

const COUNTS = ["new", "revised", "expired", "superseded", "removed"] as const;

/** Seconds from start to end, or to now while the run is under way; undefined before it started. */
export function runSeconds(run: Pick<SyncRunView, "startedAt" | "finishedAt">, now: number): number | undefined {
  if (!run.startedAt) return undefined;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1_000);
}

export function RunOutcomeHeaders() {
  const { t } = useTranslation();
  const countLabel = (count: (typeof COUNTS)[number]) => {
    switch (count) {
      case "new":
        return t("runs.counts.new");
      case "revised":
        return t("runs.counts.revised");
      case "expired":
        return t("runs.counts.expired");
      case "superseded":
        return t("runs.counts.superseded");
      case "removed":
        return t("runs.counts.removed");
    }
  };
  return (
    <>
      <th scope="col">{t("runs.columns.duration")}</th>
      {COUNTS.map((count) => (
        <th key={count} scope="col" className="numeric">
          {countLabel(count)}
        </th>
      ))}
      <th scope="col">{t("runs.columns.errorCode")}</th>
    </>
  );
}

/** `now` ticks while a run is under way, so that its duration grows. */
export function RunOutcomeCells({ run, now }: { run: SyncRunView; now: number }) {
  const { t } = useTranslation();
  const formatDuration = useDurationFormat();
  const formatNumber = useNumberFormat();
  const seconds = runSeconds(run, now);
  return (
    <>
      <td className="nowrap numeric">{seconds === undefined ? t("common.notApplicable") : formatDuration(seconds)}</td>
      {COUNTS.map((count) => (
        <td key={count} className="numeric">
          {formatNumber(run.counts[count])}
        </td>
      ))}
      <td>
        {run.errorCode ? (
          <code title={errorCodeMeaning(t, run.errorCode)}>{run.errorCode}</code>
        ) : (
          <span className="muted">{t("common.notApplicable")}</span>
        )}
      </td>
    </>
  );
}
