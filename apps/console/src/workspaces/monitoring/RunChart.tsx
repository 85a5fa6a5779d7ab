import type { SyncRunDto } from "@syncpoint/contracts";
import { useTranslation } from "react-i18next";
import { useDateTimeFormat, useDurationFormat } from "../../i18n/format.ts";

export interface ChartPoint {
  id: string;
  /** ms since the epoch: when the run started. */
  at: number;
  seconds: number;
  changes: number;
  failed: boolean;
}

/** Finished runs, oldest first, as points: duration and how many updates changed (new + revised + … + removed). */
export function chartPoints(runs: readonly SyncRunDto[]): ChartPoint[] {
  return runs
    .filter((run) => run.startedAt && run.finishedAt)
    .map((run) => {
      const at = Date.parse(run.startedAt!);
      const { counts } = run;
      return {
        id: run.id,
        at,
        seconds: Math.max(0, (Date.parse(run.finishedAt!) - at) / 1_000),
        changes: counts.new + counts.revised + counts.expired + counts.superseded + counts.removed,
        failed: run.state === "failed",
      };
    })
    .sort((a, b) => a.at - b.at);
}

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 60, right: 48, top: 10, bottom: 20 };

/**
 * Run durations (bars, left axis) and changes (line, right axis) over time, hand-written SVG: no chart library in the
 * bundle. A failed run's bar is red. The figure has a text summary for assistive technology.
 */
export function RunChart({ runs }: { runs: readonly SyncRunDto[] }) {
  const { t } = useTranslation();
  const formatDuration = useDurationFormat();
  const formatTime = useDateTimeFormat({ short: true });
  const points = chartPoints(runs);
  if (points.length === 0) return <p className="state-message">{t("siteSync.chart.empty")}</p>;
  const maxSeconds = Math.max(1, ...points.map((p) => p.seconds));
  const maxChanges = Math.max(1, ...points.map((p) => p.changes));
  const innerWidth = WIDTH - PAD.left - PAD.right;
  const innerHeight = HEIGHT - PAD.top - PAD.bottom;
  const slot = innerWidth / points.length;
  const barWidth = Math.max(2, Math.min(24, slot * 0.6));
  const x = (index: number) => PAD.left + slot * index + slot / 2;
  const yDuration = (s: number) => PAD.top + innerHeight - (s / maxSeconds) * innerHeight;
  const yChanges = (c: number) => PAD.top + innerHeight - (c / maxChanges) * innerHeight;
  const line = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(i).toFixed(1)},${yChanges(p.changes).toFixed(1)}`);
  const summary = t("siteSync.chart.summary", {
    count: points.length,
    longest: formatDuration(maxSeconds),
    changes: maxChanges,
  });

  return (
    <figure className="run-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={HEIGHT - PAD.bottom} y2={HEIGHT - PAD.bottom} stroke="#b9c1ca" />
        <text x={PAD.left - 4} y={PAD.top + 8} textAnchor="end" fontSize="10" fill="#5c6670">
          {formatDuration(maxSeconds)}
        </text>
        <text x={WIDTH - PAD.right + 4} y={PAD.top + 8} fontSize="10" fill="#107c10">
          {maxChanges}
        </text>
        {points.map((p, i) => (
          <rect
            key={p.id}
            data-run={p.id}
            x={x(i) - barWidth / 2}
            y={yDuration(p.seconds)}
            width={barWidth}
            height={Math.max(1, PAD.top + innerHeight - yDuration(p.seconds))}
            fill={p.failed ? "#a4262c" : "#0063b1"}
          >
            <title>
              {t("siteSync.chart.point", {
                time: formatTime(new Date(p.at).toISOString()),
                duration: formatDuration(p.seconds),
                changes: p.changes,
              })}
            </title>
          </rect>
        ))}
        <path d={line.join(" ")} fill="none" stroke="#107c10" strokeWidth="2" />
        {points.map((p, i) => (
          <circle key={p.id} cx={x(i)} cy={yChanges(p.changes)} r="2.5" fill="#107c10" />
        ))}
      </svg>
      <figcaption>
        <ul className="run-chart__legend">
          <li>
            <span className="run-chart__swatch run-chart__swatch--duration" aria-hidden="true" />
            {t("siteSync.chart.duration")}
          </li>
          <li>
            <span className="run-chart__swatch run-chart__swatch--failed" aria-hidden="true" />
            {t("siteSync.chart.failed")}
          </li>
          <li>
            <span className="run-chart__swatch run-chart__swatch--changes" aria-hidden="true" />
            {t("siteSync.chart.changes")}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
