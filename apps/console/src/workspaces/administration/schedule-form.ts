// The Sync Schedule form of Administration › Synchronization Schedule, apart from the page so that it can be tested
// alone: the form's values from the settings, what to send (only what changed), and the checks made before sending,
// with the ranges ConfigMgr uses (domain.md §2, "Sync Schedule").
import type { SupSettingsDto, SyncSchedule, UpdateSupSettingsRequest } from "@syncpoint/contracts";
import type { TFunction } from "i18next";

export type ScheduleType = "simple" | "custom";
export type Recurrence = "weekly" | "monthly";
export type SimpleUnit = "hours" | "days" | "weeks";
/** Which occurrence of the weekday in the month: first … fourth, or the last one. */
export type WeekOfMonth = "1" | "2" | "3" | "4" | "last";

export const UNITS: readonly SimpleUnit[] = ["hours", "days", "weeks"];
export const WEEKS_OF_MONTH: readonly WeekOfMonth[] = ["1", "2", "3", "4", "last"];
/** 0 = Sunday … 6 = Saturday, as the contracts number them. */
export const DAYS_OF_WEEK = [0, 1, 2, 3, 4, 5, 6] as const;

/** Simple schedules: every 1–23 hours, 1–31 days or 1–4 weeks, as in ConfigMgr. */
export const SIMPLE_MAX: Record<SimpleUnit, number> = { hours: 23, days: 31, weeks: 4 };
export const EVERY_WEEKS_MAX = 4;
export const RETRY_MAX = 10_080;
export const STALLED_MAX = 1_440;

/** Text inputs stay strings while edited, so that an emptied field is not read as 0. */
export interface ScheduleFormValues {
  scheduleEnabled: boolean;
  type: ScheduleType;
  every: string;
  unit: SimpleUnit;
  recurrence: Recurrence;
  everyWeeks: string;
  week: WeekOfMonth;
  dayOfWeek: number;
  time: string;
  timeZone: string;
  syncFailureAlert: boolean;
  retryMinutes: string;
  stalledMinutes: string;
}

export type FieldName =
  "schedule" | "every" | "everyWeeks" | "week" | "dayOfWeek" | "time" | "timeZone" | "retryMinutes" | "stalledMinutes";

export type FieldErrors = Partial<Record<FieldName, string>>;

/** The zone the browser runs in: a new schedule's default. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * Whether the schedule is the seeded default that nobody has saved yet: the server stamps `startAt` on every simple
 * schedule it is sent, and a custom one is never the default.
 */
export function isUnsavedDefault(schedule: SyncSchedule): boolean {
  return schedule.kind === "simple" && schedule.startAt === undefined;
}

/**
 * The form for the stored settings. Values of the kinds not in use get ConfigMgr-like defaults (every 7 days; the
 * second Tuesday at 02:00), so that switching kind offers something sensible. A schedule never saved starts out in
 * `defaultZone` (the browser's) rather than the seeded UTC.
 */
export function formFromSettings(settings: SupSettingsDto, defaultZone?: string): ScheduleFormValues {
  const schedule = settings.schedule;
  const values: ScheduleFormValues = {
    scheduleEnabled: settings.scheduleEnabled,
    type: schedule.kind === "simple" ? "simple" : "custom",
    every: "7",
    unit: "days",
    recurrence: schedule.kind === "monthly" ? "monthly" : "weekly",
    everyWeeks: "1",
    week: "2",
    dayOfWeek: 2,
    time: "02:00",
    timeZone: defaultZone && isUnsavedDefault(schedule) ? defaultZone : schedule.timeZone,
    syncFailureAlert: settings.syncFailureAlert,
    retryMinutes: String(settings.retryMinutes),
    stalledMinutes: String(settings.stalledMinutes),
  };
  switch (schedule.kind) {
    case "simple":
      return { ...values, every: String(schedule.every), unit: schedule.unit };
    case "weekly":
      return {
        ...values,
        everyWeeks: String(schedule.everyWeeks ?? 1),
        dayOfWeek: schedule.dayOfWeek,
        time: schedule.time,
      };
    case "monthly":
      return {
        ...values,
        week: schedule.week === "last" ? "last" : (String(schedule.week) as WeekOfMonth),
        dayOfWeek: schedule.dayOfWeek,
        time: schedule.time,
      };
  }
}

const WHOLE_NUMBER = /^\d{1,9}$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

function wholeNumber(value: string): number | undefined {
  const trimmed = value.trim();
  return WHOLE_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** The schedule the form describes; only meaningful once `validate` found nothing. */
export function scheduleOf(values: ScheduleFormValues): SyncSchedule {
  if (values.type === "simple") {
    return { kind: "simple", every: Number(values.every.trim()), unit: values.unit, timeZone: values.timeZone };
  }
  if (values.recurrence === "weekly") {
    return {
      kind: "weekly",
      dayOfWeek: values.dayOfWeek,
      time: values.time,
      everyWeeks: Number(values.everyWeeks.trim()),
      timeZone: values.timeZone,
    };
  }
  return {
    kind: "monthly",
    week: values.week === "last" ? "last" : Number(values.week),
    dayOfWeek: values.dayOfWeek,
    time: values.time,
    timeZone: values.timeZone,
  };
}

/** Two schedules run at the same times; a simple schedule's `startAt` is the server's to set. */
export function sameSchedule(a: SyncSchedule, b: SyncSchedule): boolean {
  const normal = (s: SyncSchedule) => {
    switch (s.kind) {
      case "simple":
        return [s.kind, s.every, s.unit, s.timeZone];
      case "weekly":
        return [s.kind, s.dayOfWeek, s.time, s.everyWeeks ?? 1, s.timeZone];
      case "monthly":
        return [s.kind, s.week, s.dayOfWeek, s.time, s.timeZone];
    }
  };
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}

/** The values that take effect with the current choices: what "changed" is measured on. */
function effective(values: ScheduleFormValues): unknown[] {
  const schedule =
    values.type === "simple"
      ? [values.type, values.every.trim(), values.unit]
      : values.recurrence === "weekly"
        ? [values.type, values.recurrence, values.everyWeeks.trim(), values.dayOfWeek, values.time]
        : [values.type, values.recurrence, values.week, values.dayOfWeek, values.time];
  return [
    values.scheduleEnabled,
    ...schedule,
    values.timeZone,
    values.syncFailureAlert,
    values.retryMinutes.trim(),
    values.stalledMinutes.trim(),
  ];
}

/**
 * Whether the form says anything else than the stored settings. With `defaultZone`, a schedule never saved that the
 * form shows in that zone (formFromSettings with the same zone) does not count as a change by itself.
 */
export function isChanged(values: ScheduleFormValues, settings: SupSettingsDto, defaultZone?: string): boolean {
  return JSON.stringify(effective(values)) !== JSON.stringify(effective(formFromSettings(settings, defaultZone)));
}

/**
 * The schedule whose next times the form should show, or null when none runs (off, or not valid yet): the stored one
 * (with its start) while the form describes the same times, else the form's, as it would be saved.
 */
export function previewScheduleOf(
  values: ScheduleFormValues,
  settings: SupSettingsDto,
  valid: boolean,
): SyncSchedule | null {
  if (!values.scheduleEnabled || !valid) return null;
  const schedule = scheduleOf(values);
  return sameSchedule(schedule, settings.schedule) ? settings.schedule : schedule;
}

/** The schedule in one sentence, as the summary above its next times reads (call it with values `validate` accepted). */
export function describeSchedule(t: TFunction, values: ScheduleFormValues): string {
  if (!values.scheduleEnabled) return t("syncSchedule.summary.off");
  const schedule = scheduleOf(values);
  const zone = schedule.timeZone;
  switch (schedule.kind) {
    case "simple":
      return schedule.unit === "hours"
        ? t("syncSchedule.summary.everyHours", { count: schedule.every })
        : schedule.unit === "days"
          ? t("syncSchedule.summary.everyDays", { count: schedule.every, zone })
          : t("syncSchedule.summary.everyWeeks", { count: schedule.every, zone });
    case "weekly":
      return t("syncSchedule.summary.weekly", {
        count: schedule.everyWeeks ?? 1,
        day: dayName(t, schedule.dayOfWeek),
        time: schedule.time,
        zone,
      });
    case "monthly": {
      const options = { day: dayName(t, schedule.dayOfWeek), time: schedule.time, zone };
      switch (schedule.week) {
        case 1:
          return t("syncSchedule.summary.monthlyFirst", options);
        case 2:
          return t("syncSchedule.summary.monthlySecond", options);
        case 3:
          return t("syncSchedule.summary.monthlyThird", options);
        case 4:
          return t("syncSchedule.summary.monthlyFourth", options);
        default:
          return t("syncSchedule.summary.monthlyLast", options);
      }
    }
  }
}

/** A day of the week by its number (0 = Sunday), as the form's lists and the summary name it. */
export function dayName(t: TFunction, day: number): string {
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

/** The PUT body: only the settings the form changes. Call it with values `validate` accepted. */
export function changesOf(values: ScheduleFormValues, settings: SupSettingsDto): UpdateSupSettingsRequest {
  const request: UpdateSupSettingsRequest = {};
  if (values.scheduleEnabled !== settings.scheduleEnabled) request.scheduleEnabled = values.scheduleEnabled;
  const schedule = scheduleOf(values);
  if (!sameSchedule(schedule, settings.schedule)) request.schedule = schedule;
  if (values.syncFailureAlert !== settings.syncFailureAlert) request.syncFailureAlert = values.syncFailureAlert;
  const retry = Number(values.retryMinutes.trim());
  if (retry !== settings.retryMinutes) request.retryMinutes = retry;
  const stalled = Number(values.stalledMinutes.trim());
  if (stalled !== settings.stalledMinutes) request.stalledMinutes = stalled;
  return request;
}

/** The problems the server would refuse, found before sending; empty when there are none. */
export function validate(t: TFunction, values: ScheduleFormValues): FieldErrors {
  const errors: FieldErrors = {};
  if (values.type === "simple") {
    const every = wholeNumber(values.every);
    const max = SIMPLE_MAX[values.unit];
    if (every === undefined || every < 1 || every > max) {
      errors.every =
        values.unit === "hours"
          ? t("syncSchedule.errors.everyHours", { max })
          : values.unit === "days"
            ? t("syncSchedule.errors.everyDays", { max })
            : t("syncSchedule.errors.everyWeeks", { max });
    }
  } else {
    if (values.recurrence === "weekly") {
      const weeks = wholeNumber(values.everyWeeks);
      if (weeks === undefined || weeks < 1 || weeks > EVERY_WEEKS_MAX) {
        errors.everyWeeks = t("syncSchedule.errors.recurWeeks", { max: EVERY_WEEKS_MAX });
      }
    }
    if (!TIME_OF_DAY.test(values.time)) errors.time = t("syncSchedule.errors.time");
  }
  if (!values.timeZone) errors.timeZone = t("syncSchedule.errors.timeZone");
  const retry = wholeNumber(values.retryMinutes);
  if (retry === undefined || retry < 1 || retry > RETRY_MAX) {
    errors.retryMinutes = t("syncSchedule.errors.minutes", { max: RETRY_MAX });
  }
  const stalled = wholeNumber(values.stalledMinutes);
  if (stalled === undefined || stalled < 1 || stalled > STALLED_MAX) {
    errors.stalledMinutes = t("syncSchedule.errors.minutes", { max: STALLED_MAX });
  }
  return errors;
}

/** Whether the schedule itself (not the retry and stall minutes) passes validate(): what can be summarized and previewed. */
export function scheduleIsValid(t: TFunction, values: ScheduleFormValues): boolean {
  const errors = validate(t, values);
  return !(["every", "everyWeeks", "week", "dayOfWeek", "time", "timeZone"] as const).some((field) => errors[field]);
}

/** Where each form field's server errors arrive (`details.fields[].field`, without the `body.` prefix). */
export const SERVER_FIELDS: Record<Exclude<FieldName, "schedule">, string> = {
  every: "schedule.every",
  everyWeeks: "schedule.everyWeeks",
  week: "schedule.week",
  dayOfWeek: "schedule.dayOfWeek",
  time: "schedule.time",
  timeZone: "schedule.timeZone",
  retryMinutes: "retryMinutes",
  stalledMinutes: "stalledMinutes",
};

/**
 * The server's field errors, by form field; those about the schedule as a whole (`body.schedule`) under `schedule`,
 * and whatever names no field of this form in `other`.
 */
export function serverFieldErrors(fields: readonly { field: string; message: string }[]): {
  errors: FieldErrors;
  other: string[];
} {
  const errors: FieldErrors = {};
  const other: string[] = [];
  for (const { field, message } of fields) {
    const path = field.replace(/^body\./, "");
    const name = (Object.keys(SERVER_FIELDS) as (keyof typeof SERVER_FIELDS)[]).find(
      (key) => SERVER_FIELDS[key] === path,
    );
    if (name) errors[name] ??= message;
    else if (path === "schedule" || path.startsWith("schedule.")) errors.schedule ??= message;
    else other.push(`${path}: ${message}`);
  }
  return { errors, other };
}
