import type { SupSettingsDto } from "@syncpoint/contracts";
import { useTranslation } from "react-i18next";
import { useUpdateSupSettings } from "../api/settings.ts";
import { ActionButton } from "../components/ActionBar.tsx";
import { ErrorText } from "../components/ErrorText.tsx";
import { useDateTimeFormat } from "../i18n/format.ts";

/** The banner itself, loaded once the schedules are found paused (see SchedulesPausedBanner). */
export default function PausedBanner({ settings }: { settings: SupSettingsDto }) {
  const { t } = useTranslation();
  const resume = useUpdateSupSettings();
  const formatTime = useDateTimeFormat();
  const { schedulesPausedAt: at, schedulesPausedBy: by } = settings;
  const headline =
    at && by
      ? t("schedulesPaused.sinceBy", { time: formatTime(at), user: by })
      : at
        ? t("schedulesPaused.since", { time: formatTime(at) })
        : t("schedulesPaused.paused");

  return (
    <section role="status" aria-label={t("schedulesPaused.label")} className="paused-banner">
      <p className="paused-banner__text">
        <span aria-hidden="true" className="paused-banner__icon">
          ❚❚
        </span>
        <strong>{headline}</strong> {t("schedulesPaused.consequence")}
      </p>
      <div className="paused-banner__actions">
        <ActionButton
          permission="settings.edit"
          variant="primary"
          disabled={resume.isPending}
          onClick={() =>
            resume.mutate(
              { schedulesPaused: false },
              // The banner, and the button with it, goes away: focus goes on to the page rather than to nowhere.
              { onSuccess: () => document.getElementById("main")?.focus() },
            )
          }
        >
          {t("schedulesPaused.resume")}
        </ActionButton>
        {resume.isPending && <span className="busy">{t("schedulesPaused.resuming")}</span>}
        {resume.isError && (
          <span role="alert" className="paused-banner__error">
            <ErrorText error={resume.error} />
          </span>
        )}
      </div>
    </section>
  );
}
