// The Sync Schedule's fields and its outlook, shared by Administration › Synchronization Schedule (its own form) and
// the Sync Schedule tab of the Software Update Point Component Properties (part of the dialog's form: forms do not
// nest). The values and their checks are schedule-form.ts's; whoever renders the fields owns the state and the save.
import type { SupSettingsDto } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { useId, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSchedulePreview } from "../../api/settings.ts";
import { ErrorText } from "../../components/ErrorText.tsx";
import { FieldMessage } from "../../components/FieldMessage.tsx";
import { FormField, SelectField } from "../../components/FormField.tsx";
import {
  dayName,
  DAYS_OF_WEEK,
  describeSchedule,
  EVERY_WEEKS_MAX,
  isUnsavedDefault,
  previewScheduleOf,
  RETRY_MAX,
  SIMPLE_MAX,
  STALLED_MAX,
  UNITS,
  WEEKS_OF_MONTH,
  type FieldErrors,
  type FieldName,
  type ScheduleFormValues,
  type SimpleUnit,
  type WeekOfMonth,
} from "./schedule-form.ts";

/** The id of a field's input, for focusing the first one with an error. */
export const scheduleFieldId = (idPrefix: string, name: FieldName | "enabled" | "alert") => `${idPrefix}-${name}`;

export interface ScheduleFieldsProps {
  /** Prefix of the inputs' ids (scheduleFieldId). */
  idPrefix: string;
  values: ScheduleFormValues;
  set: <K extends keyof ScheduleFormValues>(name: K, value: ScheduleFormValues[K]) => void;
  errors: FieldErrors;
  /** The stored settings: whether the schedule was ever saved, and in which zone. */
  settings: SupSettingsDto;
  /** This computer's time zone. */
  browserZone: string;
  disabled?: boolean;
  /** Also the automatic retry and the stall warning (the page has them; the dialog's tab, as ConfigMgr's, not). */
  operations?: boolean;
}

/** "Enable synchronization on a schedule", Simple or Custom, the time zone, and the failure alert. */
export function ScheduleFields({
  idPrefix,
  values,
  set,
  errors,
  settings,
  browserZone,
  disabled = false,
  operations = false,
}: ScheduleFieldsProps) {
  const { t } = useTranslation();
  const fieldId = (name: FieldName | "enabled" | "alert") => scheduleFieldId(idPrefix, name);
  return (
    <>
      <fieldset className="form-section" disabled={disabled}>
        <legend>{t("syncSchedule.form.scheduleLegend")}</legend>
        <Checkbox
          id={fieldId("enabled")}
          label={t("syncSchedule.form.enabled")}
          checked={values.scheduleEnabled}
          onChange={(checked) => set("scheduleEnabled", checked)}
        />
        <fieldset
          className="form-subsection"
          disabled={!values.scheduleEnabled}
          id={fieldId("schedule")}
          tabIndex={-1}
          aria-describedby={errors.schedule ? `${idPrefix}-schedule-error` : undefined}
        >
          <legend className="visually-hidden">{t("syncSchedule.form.typeLegend")}</legend>
          {errors.schedule && (
            <p id={`${idPrefix}-schedule-error`} className="form__error">
              <FieldMessage text={errors.schedule} />
            </p>
          )}
          <Radio
            id={`${idPrefix}-simple`}
            name={`${idPrefix}-type`}
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
                id={`${idPrefix}-unit`}
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
            id={`${idPrefix}-custom`}
            name={`${idPrefix}-type`}
            label={t("syncSchedule.form.custom")}
            checked={values.type === "custom"}
            onChange={() => set("type", "custom")}
          />
          {values.type === "custom" && (
            <div className="form__row form__row--indented">
              <SelectField
                id={`${idPrefix}-recurrence`}
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
                    {dayName(t, day)}
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
            browserZone={browserZone}
            unsavedDefault={isUnsavedDefault(settings.schedule) && values.timeZone !== settings.schedule.timeZone}
            savedZone={settings.schedule.timeZone}
            error={errors.timeZone}
            onChange={(value) => set("timeZone", value)}
          />
        </fieldset>
      </fieldset>

      <fieldset className="form-section" disabled={disabled}>
        <legend>{t("syncSchedule.form.alertsLegend")}</legend>
        <Checkbox
          id={fieldId("alert")}
          label={t("syncSchedule.form.syncFailureAlert")}
          hint={t("syncSchedule.form.syncFailureAlertHint")}
          checked={values.syncFailureAlert}
          onChange={(checked) => set("syncFailureAlert", checked)}
        />
        {operations && (
          <>
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
          </>
        )}
      </fieldset>
    </>
  );
}

export interface NextSyncsProps {
  /** The stored settings: their next times while the form describes the stored schedule. */
  settings: SupSettingsDto;
  /** What the form says now. */
  values: ScheduleFormValues;
  /** Whether `values` pass validate(): only a valid schedule is summarized and previewed. */
  valid: boolean;
  /** How many next times to show (the server keeps five of the stored schedule). */
  count: number;
}

/**
 * The schedule in a sentence and its next `count` times, in this computer's time zone and, if different, the
 * schedule's: the stored schedule's own, or — for unsaved edits — what the server computes for them if saved now.
 */
export function NextSyncs({ settings, values, valid, count }: NextSyncsProps) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const schedule = previewScheduleOf(values, settings, valid);
  const stored = schedule !== null && schedule === settings.schedule && settings.scheduleEnabled;
  const preview = useSchedulePreview(stored ? null : schedule, count);
  const zone = schedule?.timeZone ?? settings.schedule.timeZone;
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
  if (!values.scheduleEnabled) {
    content = <p className="muted">{t("syncSchedule.upcoming.off")}</p>;
  } else if (!valid) {
    content = <p className="muted">{t("syncSchedule.upcoming.invalid")}</p>;
  } else if (!stored && preview.isError) {
    content = (
      <div role="alert" className="message message--error">
        <p>{t("syncSchedule.upcoming.failed")}</p>
        <p>
          <ErrorText error={preview.error} />
        </p>
      </div>
    );
  } else {
    const times = stored ? settings.upcomingSyncs.slice(0, count) : preview.data?.times;
    content = !times ? (
      <p role="status" className="busy">
        {t("syncSchedule.upcoming.loading")}
      </p>
    ) : times.length === 0 ? (
      <p className="muted">{t("syncSchedule.upcoming.none")}</p>
    ) : (
      <ol className="upcoming-list">
        {times.map((iso) => (
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
      {valid && values.scheduleEnabled && <p className="schedule-summary">{describeSchedule(t, values)}</p>}
      {settings.schedulesPaused && values.scheduleEnabled && (
        <p className="message message--warning">{t("syncSchedule.upcoming.paused")}</p>
      )}
      {content}
      {values.scheduleEnabled && valid && (
        <p className="form__hint">
          {stored ? t("syncSchedule.upcoming.savedOnly") : t("syncSchedule.upcoming.preview")}
        </p>
      )}
    </section>
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
