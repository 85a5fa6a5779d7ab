import type { SupSettingsDto, TestConnectionResult } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useId, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/client.ts";
import { errorText } from "../../api/error-text.ts";
import { useSupSettings, useTestConnection, useUpdateSupSettings } from "../../api/settings.ts";
import { ActionBar, ActionButton, usePermissionReason } from "../../components/ActionBar.tsx";
import { ConfirmDialog } from "../../components/ConfirmDialog.tsx";
import { FormField, SelectField } from "../../components/FormField.tsx";
import { queryStateMessage } from "../../components/LoadError.tsx";
import { errorCodeMeaning } from "../../i18n/sync-labels.ts";
import { NodePage, type NodePageProps } from "../NodePage.tsx";
import {
  browserTimeZone,
  changesOf,
  DAYS_OF_WEEK,
  EVERY_WEEKS_MAX,
  formFromSettings,
  isChanged,
  isUnsavedDefault,
  RETRY_MAX,
  serverFieldErrors,
  SIMPLE_MAX,
  STALLED_MAX,
  UNITS,
  validate,
  WEEKS_OF_MONTH,
  type FieldErrors,
  type FieldName,
  type ScheduleFormValues,
  type SimpleUnit,
  type WeekOfMonth,
} from "./schedule-form.ts";

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
          {errorText(t, pause.error)}
        </div>
      )}
      {/* A live region that stays in the page, so that "Testing…" and then the result are announced. */}
      <div id={testedId} className="connection-test" aria-live="polite">
        {test.isPending && <p className="busy">{t("syncSchedule.test.testing")}</p>}
        {test.isError && (
          <div role="alert" className="message message--error">
            {errorText(t, test.error)}
          </div>
        )}
        {test.data && !test.isPending && <ConnectionResult result={test.data} />}
      </div>

      <div className="schedule-layout">
        <ScheduleForm settings={settings} onSaved={() => setNotice(t("syncSchedule.notices.saved"))} />
        <UpcomingSyncs settings={settings} />
      </div>

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
  const fieldId = (name: FieldName) => `${id}-${name}`;
  const focusFirst = (found: FieldErrors) => {
    const first = FIELD_ORDER.find((name) => found[name]);
    if (first) document.getElementById(fieldId(first))?.focus();
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
        const server = serverFieldErrors(error.fields);
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
  const scheduleOff = !values.scheduleEnabled;
  const fieldErrorShown = Object.keys(errors).length > 0;

  return (
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
          <p>{fieldErrorShown ? t("syncSchedule.form.fixFields") : errorText(t, save.error)}</p>
          {otherErrors.length > 0 && (
            <ul className="plain-list">
              {otherErrors.map((text) => (
                <li key={text}>{text}</li>
              ))}
            </ul>
          )}
        </div>
      )}

      <fieldset className="form-section" disabled={!allowed || busy}>
        <legend>{t("syncSchedule.form.scheduleLegend")}</legend>
        <Checkbox
          id={`${id}-enabled`}
          label={t("syncSchedule.form.enabled")}
          checked={values.scheduleEnabled}
          onChange={(checked) => set("scheduleEnabled", checked)}
        />
        <fieldset
          className="form-subsection"
          disabled={scheduleOff}
          id={fieldId("schedule")}
          tabIndex={-1}
          aria-describedby={errors.schedule ? `${id}-schedule-error` : undefined}
        >
          <legend className="visually-hidden">{t("syncSchedule.form.typeLegend")}</legend>
          {errors.schedule && (
            <p id={`${id}-schedule-error`} className="form__error">
              {errors.schedule}
            </p>
          )}
          <Radio
            id={`${id}-simple`}
            name={`${id}-type`}
            label={t("syncSchedule.form.simple")}
            checked={values.type === "simple"}
            onChange={() => set("type", "simple")}
          />
          {values.type === "simple" && (
            <div className="form__row form__row--indented">
              <FormField
                id={fieldId("every")}
                label={t("syncSchedule.form.runEvery")}
                hint={t("syncSchedule.form.everyHint", {
                  hours: SIMPLE_MAX.hours,
                  days: SIMPLE_MAX.days,
                  weeks: SIMPLE_MAX.weeks,
                })}
                error={errors.every}
                input={{
                  type: "number",
                  inputMode: "numeric",
                  min: 1,
                  max: SIMPLE_MAX[values.unit],
                  step: 1,
                  className: "input--short",
                  value: values.every,
                  onChange: (e) => set("every", e.currentTarget.value),
                }}
              />
              <SelectField
                id={`${id}-unit`}
                label={t("syncSchedule.form.unit")}
                select={{ value: values.unit, onChange: (e) => set("unit", e.currentTarget.value as SimpleUnit) }}
              >
                {UNITS.map((unit) => (
                  <option key={unit} value={unit}>
                    {unitLabel(t, unit)}
                  </option>
                ))}
              </SelectField>
            </div>
          )}
          <Radio
            id={`${id}-custom`}
            name={`${id}-type`}
            label={t("syncSchedule.form.custom")}
            checked={values.type === "custom"}
            onChange={() => set("type", "custom")}
          />
          {values.type === "custom" && (
            <div className="form__row form__row--indented">
              <SelectField
                id={`${id}-recurrence`}
                label={t("syncSchedule.form.recurrence")}
                select={{
                  value: values.recurrence,
                  onChange: (e) => set("recurrence", e.currentTarget.value as ScheduleFormValues["recurrence"]),
                }}
              >
                <option value="weekly">{t("syncSchedule.form.weekly")}</option>
                <option value="monthly">{t("syncSchedule.form.monthly")}</option>
              </SelectField>
              {values.recurrence === "weekly" ? (
                <FormField
                  id={fieldId("everyWeeks")}
                  label={t("syncSchedule.form.recurEveryWeeks")}
                  hint={t("syncSchedule.form.recurEveryWeeksHint", { max: EVERY_WEEKS_MAX })}
                  error={errors.everyWeeks}
                  input={{
                    type: "number",
                    inputMode: "numeric",
                    min: 1,
                    max: EVERY_WEEKS_MAX,
                    step: 1,
                    className: "input--short",
                    value: values.everyWeeks,
                    onChange: (e) => set("everyWeeks", e.currentTarget.value),
                  }}
                />
              ) : (
                <SelectField
                  id={fieldId("week")}
                  label={t("syncSchedule.form.week")}
                  error={errors.week}
                  select={{ value: values.week, onChange: (e) => set("week", e.currentTarget.value as WeekOfMonth) }}
                >
                  {WEEKS_OF_MONTH.map((week) => (
                    <option key={week} value={week}>
                      {weekLabel(t, week)}
                    </option>
                  ))}
                </SelectField>
              )}
              <SelectField
                id={fieldId("dayOfWeek")}
                label={
                  values.recurrence === "weekly" ? t("syncSchedule.form.weeklyDay") : t("syncSchedule.form.monthlyDay")
                }
                error={errors.dayOfWeek}
                select={{
                  value: String(values.dayOfWeek),
                  onChange: (e) => set("dayOfWeek", Number(e.currentTarget.value)),
                }}
              >
                {DAYS_OF_WEEK.map((day) => (
                  <option key={day} value={day}>
                    {dayLabel(t, day)}
                  </option>
                ))}
              </SelectField>
              <FormField
                id={fieldId("time")}
                label={t("syncSchedule.form.time")}
                error={errors.time}
                input={{
                  type: "time",
                  required: true,
                  value: values.time,
                  onChange: (e) => set("time", e.currentTarget.value),
                }}
              />
            </div>
          )}
          <TimeZoneField
            id={fieldId("timeZone")}
            value={values.timeZone}
            browserZone={zone}
            unsavedDefault={isUnsavedDefault(settings.schedule) && values.timeZone !== settings.schedule.timeZone}
            savedZone={settings.schedule.timeZone}
            error={errors.timeZone}
            onChange={(value) => set("timeZone", value)}
          />
        </fieldset>
      </fieldset>

      <fieldset className="form-section" disabled={!allowed || busy}>
        <legend>{t("syncSchedule.form.alertsLegend")}</legend>
        <Checkbox
          id={`${id}-alert`}
          label={t("syncSchedule.form.syncFailureAlert")}
          hint={t("syncSchedule.form.syncFailureAlertHint")}
          checked={values.syncFailureAlert}
          onChange={(checked) => set("syncFailureAlert", checked)}
        />
        <MinutesField
          id={fieldId("retryMinutes")}
          label={t("syncSchedule.form.retryMinutes")}
          hint={t("syncSchedule.form.retryMinutesHint", { max: RETRY_MAX })}
          error={errors.retryMinutes}
          max={RETRY_MAX}
          value={values.retryMinutes}
          onChange={(value) => set("retryMinutes", value)}
        />
        <MinutesField
          id={fieldId("stalledMinutes")}
          label={t("syncSchedule.form.stalledMinutes")}
          hint={t("syncSchedule.form.stalledMinutesHint", { max: STALLED_MAX })}
          error={errors.stalledMinutes}
          max={STALLED_MAX}
          value={values.stalledMinutes}
          onChange={(value) => set("stalledMinutes", value)}
        />
      </fieldset>

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
  );
}

function Checkbox({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="checkbox-field">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.currentTarget.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="form__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

function Radio({
  id,
  name,
  label,
  checked,
  onChange,
}: {
  id: string;
  name: string;
  label: string;
  checked: boolean;
  onChange: () => void;
}) {
  return (
    <div className="checkbox-field">
      <input id={id} type="radio" name={name} checked={checked} onChange={onChange} />
      <label htmlFor={id}>{label}</label>
    </div>
  );
}

function MinutesField({
  id,
  label,
  hint,
  error,
  max,
  value,
  onChange,
}: {
  id: string;
  label: string;
  hint: string;
  error: string | undefined;
  max: number;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <FormField
      id={id}
      label={label}
      hint={hint}
      error={error}
      input={{
        type: "number",
        inputMode: "numeric",
        min: 1,
        max,
        step: 1,
        className: "input--short",
        value,
        onChange: (e) => onChange(e.currentTarget.value),
      }}
    />
  );
}

/** Every IANA zone the browser knows, the browser's own first; the chosen one is kept even if it is not among them. */
function TimeZoneField({
  id,
  value,
  browserZone,
  savedZone,
  unsavedDefault,
  error,
  onChange,
}: {
  id: string;
  value: string;
  browserZone: string;
  savedZone: string;
  unsavedDefault: boolean;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const zones = useMemo(() => {
    const all = new Set(typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []);
    for (const zone of [value, savedZone, "UTC"]) all.add(zone);
    all.delete(browserZone);
    return [...all].sort();
  }, [value, savedZone, browserZone]);
  return (
    <SelectField
      id={id}
      label={t("syncSchedule.form.timeZone")}
      hint={
        unsavedDefault
          ? t("syncSchedule.form.timeZoneUnsaved", { zone: savedZone })
          : t("syncSchedule.form.timeZoneHint")
      }
      error={error}
      select={{ value, onChange: (e) => onChange(e.currentTarget.value) }}
    >
      <option value={browserZone}>{t("syncSchedule.form.thisComputer", { zone: browserZone })}</option>
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone}
        </option>
      ))}
    </SelectField>
  );
}

/** The next scheduled times of the saved schedule, in the browser's time zone and, if different, the schedule's. */
function UpcomingSyncs({ settings }: { settings: SupSettingsDto }) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const zone = settings.schedule.timeZone;
  const language = i18n.resolvedLanguage;
  const [local, inZone, sameZone] = useMemo(() => {
    const options: Intl.DateTimeFormatOptions = {
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    };
    const here = new Intl.DateTimeFormat(language, options);
    const there = new Intl.DateTimeFormat(language, { ...options, timeZone: zone });
    return [
      (iso: string) => here.format(new Date(iso)),
      (iso: string) => there.format(new Date(iso)),
      here.resolvedOptions().timeZone === there.resolvedOptions().timeZone,
    ] as const;
  }, [language, zone]);

  let content: ReactNode;
  if (!settings.scheduleEnabled) {
    content = <p className="muted">{t("syncSchedule.upcoming.off")}</p>;
  } else if (settings.upcomingSyncs.length === 0) {
    content = <p className="muted">{t("syncSchedule.upcoming.none")}</p>;
  } else {
    content = (
      <ol className="upcoming-list">
        {settings.upcomingSyncs.map((iso) => (
          <li key={iso}>
            <time dateTime={iso}>{local(iso)}</time>
            {!sameZone && (
              <span className="muted upcoming-list__zone">
                {t("syncSchedule.upcoming.inZone", { time: inZone(iso) })}
              </span>
            )}
          </li>
        ))}
      </ol>
    );
  }
  return (
    <section className="details-pane upcoming" aria-labelledby={headingId}>
      <h2 id={headingId} className="details-pane__title">
        {t("syncSchedule.upcoming.title")}
      </h2>
      {settings.schedulesPaused && settings.scheduleEnabled && (
        <p className="message message--warning">{t("syncSchedule.upcoming.paused")}</p>
      )}
      {content}
      <p className="form__hint">{t("syncSchedule.upcoming.savedOnly")}</p>
    </section>
  );
}

const STEPS = ["GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetConfigData"] as const;

/** What Test connection found: connected (where, which protocol version) or the step that failed and why. */
function ConnectionResult({ result }: { result: TestConnectionResult }) {
  const { t } = useTranslation();
  const headingId = useId();
  const failedStep = result.steps.find((step) => !step.ok)?.step;
  const meaning = result.errorCode ? errorCodeMeaning(t, result.errorCode) : undefined;
  return (
    <section
      aria-labelledby={headingId}
      className={`connection-result connection-result--${result.ok ? "ok" : "failed"}`}
    >
      <h2 id={headingId} className="connection-result__title">
        {result.ok
          ? t("syncSchedule.test.succeeded", { url: result.url ?? "" })
          : failedStep
            ? t("syncSchedule.test.failedAt", { step: failedStep })
            : t("syncSchedule.test.failed")}
      </h2>
      {result.ok ? (
        <p>
          {result.protocolVersion
            ? t("syncSchedule.test.protocolVersion", { version: result.protocolVersion })
            : result.message}
        </p>
      ) : (
        <>
          <p>{result.message}</p>
          {result.errorCode && (
            <p className="muted">
              <code>{result.errorCode}</code>
              {meaning && <> — {meaning}</>}
            </p>
          )}
          {result.url && <p className="muted">{t("syncSchedule.test.source", { url: result.url })}</p>}
        </>
      )}
      <ol className="connection-steps" aria-label={t("syncSchedule.test.steps")}>
        {STEPS.map((name) => {
          const step = result.steps.find((s) => s.step === name);
          const outcome = !step ? "skipped" : step.ok ? "ok" : "failed";
          return (
            <li key={name} className={`connection-step connection-step--${outcome}`}>
              <span aria-hidden="true" className="connection-step__mark">
                {outcome === "ok" ? "✓" : outcome === "failed" ? "✗" : "–"}
              </span>
              <span className="connection-step__name">{name}</span>
              <span className="connection-step__outcome">
                {outcome === "ok"
                  ? t("syncSchedule.test.stepOk", { ms: step!.ms })
                  : outcome === "failed"
                    ? t("syncSchedule.test.stepFailed", { ms: step!.ms })
                    : t("syncSchedule.test.stepSkipped")}
              </span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function unitLabel(t: TFunction, unit: SimpleUnit): string {
  switch (unit) {
    case "hours":
      return t("syncSchedule.units.hours");
    case "days":
      return t("syncSchedule.units.days");
    case "weeks":
      return t("syncSchedule.units.weeks");
  }
}

function weekLabel(t: TFunction, week: WeekOfMonth): string {
  switch (week) {
    case "1":
      return t("syncSchedule.weeks.first");
    case "2":
      return t("syncSchedule.weeks.second");
    case "3":
      return t("syncSchedule.weeks.third");
    case "4":
      return t("syncSchedule.weeks.fourth");
    case "last":
      return t("syncSchedule.weeks.last");
  }
}

export function dayLabel(t: TFunction, day: number): string {
  switch (day) {
    case 0:
      return t("syncSchedule.days.sunday");
    case 1:
      return t("syncSchedule.days.monday");
    case 2:
      return t("syncSchedule.days.tuesday");
    case 3:
      return t("syncSchedule.days.wednesday");
    case 4:
      return t("syncSchedule.days.thursday");
    case 5:
      return t("syncSchedule.days.friday");
    default:
      return t("syncSchedule.days.saturday");
  }
}
