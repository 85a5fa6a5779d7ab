import type { SupSettingsDto } from "@syncpoint/contracts";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.ts";
import { localizedFields } from "../../api/error-text.ts";
import { useSupSettings, useTestConnection, useUpdateSupSettings } from "../../api/settings.ts";
import { ActionBar, ActionButton, usePermissionReason } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FieldMessage } from "../../components/FieldMessage.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { ConnectionTestResult } from "./ConnectionTestResult.tsx";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import {
  browserTimeZone,
  changesOf,
  formFromSettings,
  isChanged,
  scheduleIsValid,
  serverFieldErrors,
  validate,
  type FieldErrors,
  type FieldName,
  type ScheduleFormValues,
} from "./schedule-form.ts";
import { NextSyncs, ScheduleFields, scheduleFieldId } from "./ScheduleFields.tsx";

/** The order the fields are in on the page: the first one with an error gets the focus. */
const FIELD_ORDER: readonly FieldName[] = [
  "schedule",
  "every",
  "everyWeeks",
  "week",
  "dayOfWeek",
  "time",
  "timeZone",
  "retryMinutes",
  "stalledMinutes",
];

/**
 * Administration › Site Configuration › Synchronization Schedule: the Sync Schedule of the top-level software update
 * point (Simple or Custom, in a named time zone), the failure alert, automatic retries and the stall warning; the next
 * scheduled times; "Pause all schedules" for maintenance windows; and Test connection to the synchronization source.
 */
export default function SyncSchedulePage({ node }: NodePageProps) {
  const { t } = useTranslation();
  const settings = useSupSettings();
  const state = queryStateMessage(settings, {
    loading: t("syncSchedule.loading"),
    failed: t("syncSchedule.loadFailed"),
  });
  return <NodePage node={node}>{state ?? (settings.data && <SyncScheduleView settings={settings.data} />)}</NodePage>;
}

function SyncScheduleView({ settings }: { settings: SupSettingsDto }) {
  const { t } = useTranslation();
  const [notice, setNotice] = useState("");
  const [confirmPause, setConfirmPause] = useState(false);
  const pause = useUpdateSupSettings();
  const test = useTestConnection();
  const testedId = useId();

  const setPaused = (paused: boolean) =>
    pause.mutate(
      { schedulesPaused: paused },
      {
        onSuccess: () => {
          setConfirmPause(false);
          setNotice(paused ? t("syncSchedule.notices.paused") : t("syncSchedule.notices.resumed"));
        },
      },
    );

  return (
    <>
      <ActionBar label={t("syncSchedule.actions.label")}>
        {settings.schedulesPaused ? (
          <ActionButton permission="settings.edit" disabled={pause.isPending} onClick={() => setPaused(false)}>
            {t("syncSchedule.actions.resume")}
          </ActionButton>
        ) : (
          <ActionButton
            permission="settings.edit"
            disabled={pause.isPending}
            onClick={() => {
              pause.reset();
              setConfirmPause(true);
            }}
          >
            {t("syncSchedule.actions.pause")}
          </ActionButton>
        )}
        <ActionButton
          permission="settings.edit"
          disabled={test.isPending}
          aria-controls={testedId}
          onClick={() => {
            setNotice("");
            test.mutate();
          }}
        >
          {t("syncSchedule.actions.testConnection")}
        </ActionButton>
      </ActionBar>
      <p role="status" className="notice">
        {notice}
      </p>
      {pause.isError && !confirmPause && (
        <div role="alert" className="message message--error">
          <ErrorText error={pause.error} />
        </div>
      )}
      {/* A live region that stays in the page, so that "Testing…" and then the result are announced. */}
      <div id={testedId} className="connection-test" aria-live="polite">
        {test.isPending && <p className="busy">{t("syncSchedule.test.testing")}</p>}
        {test.isError && (
          <div role="alert" className="message message--error">
            <ErrorText error={test.error} />
          </div>
        )}
        {test.data && !test.isPending && <ConnectionTestResult result={test.data} headingLevel={2} />}
      </div>

      <ScheduleForm settings={settings} onSaved={() => setNotice(t("syncSchedule.notices.saved"))} />

      {confirmPause && (
        <ConfirmDialog
          title={t("syncSchedule.pause.title")}
          message={
            <>
              <p>{t("syncSchedule.pause.message")}</p>
              <p>{t("syncSchedule.pause.manual")}</p>
            </>
          }
          confirmLabel={t("syncSchedule.pause.confirm")}
          permission="settings.edit"
          busy={pause.isPending}
          error={pause.error}
          onConfirm={() => setPaused(true)}
          onClose={() => setConfirmPause(false)}
        />
      )}
    </>
  );
}

function ScheduleForm({ settings, onSaved }: { settings: SupSettingsDto; onSaved: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const { allowed } = usePermissionReason("settings.edit");
  const save = useUpdateSupSettings();
  const [zone] = useState(browserTimeZone);
  const [values, setValues] = useState<ScheduleFormValues>(() => formFromSettings(settings, zone));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [otherErrors, setOtherErrors] = useState<string[]>([]);
  const changed = isChanged(values, settings);

  // The stored settings changed (our own save, a pause, someone else): show them, unless that would lose edits.
  const [shownVersion, setShownVersion] = useState(settings.updatedAt);
  if (shownVersion !== settings.updatedAt) {
    setShownVersion(settings.updatedAt);
    if (!changed) setValues(formFromSettings(settings, zone));
  }

  const set = <K extends keyof ScheduleFormValues>(name: K, value: ScheduleFormValues[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
  };
  const focusFirst = (found: FieldErrors) => {
    const first = FIELD_ORDER.find((name) => found[name]);
    if (first) document.getElementById(scheduleFieldId(id, first))?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.reset();
    setOtherErrors([]);
    const found = validate(t, values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirst(found);
      return;
    }
    const request = changesOf(values, settings);
    if (Object.keys(request).length === 0) return;
    save.mutate(request, {
      onSuccess: (saved) => {
        setShownVersion(saved.updatedAt);
        setValues(formFromSettings(saved, zone));
        onSaved();
      },
      onError: (error) => {
        if (!(error instanceof ApiError) || error.fields.length === 0) return;
        const server = serverFieldErrors(localizedFields(t, error.fields));
        setErrors(server.errors);
        setOtherErrors(server.other);
        focusFirst(server.errors);
      },
    });
  };

  const discard = () => {
    save.reset();
    setErrors({});
    setOtherErrors([]);
    setValues(formFromSettings(settings, zone));
  };

  const busy = save.isPending;
  const fieldErrorShown = Object.keys(errors).length > 0;

  return (
    <div className="schedule-layout">
      <form
        onSubmit={onSubmit}
        noValidate
        aria-busy={busy}
        className="form schedule-form"
        aria-labelledby={`${id}-title`}
      >
        <h2 id={`${id}-title`} className="section-title">
          {t("syncSchedule.form.title")}
        </h2>
        {save.isError && (
          <div role="alert" className="message message--error">
            <p>{fieldErrorShown ? t("syncSchedule.form.fixFields") : <ErrorText error={save.error} />}</p>
            {otherErrors.length > 0 && (
              <ul className="plain-list">
                {otherErrors.map((text) => (
                  <li key={text}>
                    <FieldMessage text={text} />
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}

        <ScheduleFields
          idPrefix={id}
          values={values}
          set={set}
          errors={errors}
          settings={settings}
          browserZone={zone}
          disabled={!allowed || busy}
          operations
        />

        <div className="form__actions">
          <ActionButton
            type="submit"
            permission="settings.edit"
            variant="primary"
            disabled={busy}
            unavailableReason={changed ? undefined : t("syncSchedule.form.noChanges")}
          >
            {t("syncSchedule.form.save")}
          </ActionButton>
          <button type="button" className="button" onClick={discard} disabled={busy || !changed}>
            {t("syncSchedule.form.discard")}
          </button>
          {busy && (
            <span role="status" className="busy">
              {t("syncSchedule.form.saving")}
            </span>
          )}
        </div>
      </form>
      <NextSyncs settings={settings} values={values} valid={scheduleIsValid(t, values)} count={5} />
    </div>
  );
}
