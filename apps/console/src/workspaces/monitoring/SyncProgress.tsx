import type { RunPhase, SupState } from "@syncpoint/contracts";
import { useTranslation } from "react-i18next";
import { useNumberFormat, useDurationFormat } from "../../i18n/format.ts";
import { runPhaseLabel, waitingReasonText } from "../../i18n/sync-labels.ts";

export interface ProgressFields {
  state: SupState;
  phase: RunPhase | null;
  percent: number;
  processed: number;
  total: number;
  etaSeconds: number | null;
  waitingReason: string | null;
}

export const isActive = (state: SupState) => state === "queued" || state === "running" || state === "canceling";

/**
 * What a queued or running synchronization is doing: the phase ("Synchronizing updates"), a progress bar, "processed
 * 122 of 130" and the time left when known. Nothing for a synchronization that is not under way.
 */
export function SyncProgress({ progress, label }: { progress: ProgressFields; label: string }) {
  const { t } = useTranslation();
  const formatDuration = useDurationFormat();
  const formatNumber = useNumberFormat();
  if (!isActive(progress.state)) return null;
  const phase = progress.phase ? runPhaseLabel(t, progress.phase) : t("sync.progress.waiting");
  const percent = Math.max(0, Math.min(100, progress.percent));
  return (
    <div className="sync-progress">
      <span className="sync-progress__phase">{phase}</span>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={t("sync.progress.valueText", { percent, phase })}
        className="progress-bar"
      >
        <div className="progress-bar__fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="sync-progress__details">
        {t("sync.progress.percent", { percent })}
        {progress.total > 0 &&
          ` · ${t("sync.progress.processed", { processed: formatNumber(progress.processed), total: formatNumber(progress.total) })}`}
        {progress.etaSeconds !== null &&
          ` · ${t("sync.progress.eta", { duration: formatDuration(progress.etaSeconds) })}`}
      </span>
      {progress.state === "queued" && progress.waitingReason && (
        <span className="sync-progress__waiting muted">{waitingReasonText(t, progress.waitingReason)}</span>
      )}
    </div>
  );
}
