// The Software Update Point Component Properties: the settings as a form, validation per tab, and the PUT body with
// only what changed. The Sync Schedule tab's values are the Synchronization Schedule page's (schedule-form.ts).
import type { SupSettingsDto, UpdateSupSettingsRequest } from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { ApiError } from "../../api/client.ts";
import { localizedFields } from "../../api/error-text.ts";
import {
  changesOf as scheduleChanges,
  formFromSettings as scheduleFormFromSettings,
  isChanged as isScheduleChanged,
  serverFieldErrors as serverScheduleErrors,
  validate as validateSchedule,
  type ScheduleFormValues,
} from "./schedule-form.ts";

export const TABS = [
  "syncSettings",
  "classifications",
  "products",
  "syncSchedule",
  "supersedence",
  "languages",
  "wsusMaintenance",
  "maxRunTime",
] as const;
export type Tab = (typeof TABS)[number];

/** The languages the upstream update service offers (its GetConfigData), as ConfigMgr lists them. */
export const UPSTREAM_LANGUAGES: readonly { code: string; name: string }[] = [
  { code: "en", name: "English" },
  { code: "de", name: "German" },
  { code: "sv", name: "Swedish" },
  { code: "nl", name: "Dutch" },
  { code: "it", name: "Italian" },
  { code: "zh-cn", name: "Chinese (Simplified)" },
];

export type SyncSourceChoice = "microsoft-update" | "upstream-url" | "disconnected";

export interface SupForm {
  syncSource: SyncSourceChoice;
  upstreamUrl: string;
  useProxy: boolean;
  proxyUrl: string;
  proxyUsername: string;
  /** Write-only: empty keeps the stored password. */
  proxyPassword: string;
  caBundle: string;
  classifications: string[];
  products: string[];
  languages: string[];
  expireImmediately: boolean;
  months: string;
  featureExpireImmediately: boolean;
  featureMonths: string;
  feature: string;
  windowsOrOffice: string;
  other: string;
  /** WSUS Maintenance. */
  removeObsoleteRevisions: boolean;
  /** The Sync Schedule tab: the same values as Administration › Synchronization Schedule. */
  schedule: ScheduleFormValues;
}

/** The Sync Schedule tab's fields (the page's retry and stall minutes are not on the tab). */
export const SCHEDULE_FIELDS = ["schedule", "every", "everyWeeks", "week", "dayOfWeek", "time", "timeZone"] as const;
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number];

export type SupField =
  | "syncSource"
  | "upstreamUrl"
  | "proxyUrl"
  | "proxyUsername"
  | "proxyPassword"
  | "caBundle"
  | "classifications"
  | "products"
  | "languages"
  | "months"
  | "featureMonths"
  | "feature"
  | "windowsOrOffice"
  | "other"
  | ScheduleField;
export type SupFieldErrors = Partial<Record<SupField, string>>;

/** The tab each field is on, to switch to the first one with an error. */
export const FIELD_TAB: Record<SupField, Tab> = {
  syncSource: "syncSettings",
  upstreamUrl: "syncSettings",
  proxyUrl: "syncSettings",
  proxyUsername: "syncSettings",
  proxyPassword: "syncSettings",
  caBundle: "syncSettings",
  classifications: "classifications",
  products: "products",
  languages: "languages",
  months: "supersedence",
  featureMonths: "supersedence",
  feature: "maxRunTime",
  windowsOrOffice: "maxRunTime",
  other: "maxRunTime",
  schedule: "syncSchedule",
  every: "syncSchedule",
  everyWeeks: "syncSchedule",
  week: "syncSchedule",
  dayOfWeek: "syncSchedule",
  time: "syncSchedule",
  timeZone: "syncSchedule",
};

const sorted = (values: readonly string[]) => [...new Set(values)].sort();
const sameSet = (a: readonly string[], b: readonly string[]) => {
  const x = sorted(a);
  const y = sorted(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
};

/**
 * The form for the stored settings. `defaultZone` (the browser's) is the zone a schedule never saved starts out in,
 * as on the Synchronization Schedule page; it is not a change until something else on the tab is.
 */
export function formFromSettings(settings: SupSettingsDto, defaultZone?: string): SupForm {
  return {
    syncSource: settings.syncSource === "parent" ? "microsoft-update" : settings.syncSource,
    upstreamUrl: settings.upstreamUrl ?? "",
    useProxy: settings.proxy !== null,
    proxyUrl: settings.proxy?.url ?? "",
    proxyUsername: settings.proxy?.username ?? "",
    proxyPassword: "",
    caBundle: settings.upstreamCaBundle ?? "",
    classifications: sorted(settings.classifications),
    products: sorted(settings.products),
    languages: sorted(settings.languages),
    expireImmediately: settings.supersedence.expireImmediately,
    months: String(settings.supersedence.months),
    featureExpireImmediately: settings.supersedence.featureExpireImmediately,
    featureMonths: String(settings.supersedence.featureMonths),
    feature: String(settings.maxRunTimeMinutes.feature),
    windowsOrOffice: String(settings.maxRunTimeMinutes.windowsOrOffice),
    other: String(settings.maxRunTimeMinutes.other),
    removeObsoleteRevisions: settings.maintenance.removeObsoleteRevisions,
    schedule: scheduleFormFromSettings(settings, defaultZone),
  };
}

const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/i;
const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;

function wholeNumber(value: string, min: number, max: number): number | undefined {
  if (!/^\d{1,6}$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n >= min && n <= max ? n : undefined;
}

export function validateSupForm(t: TFunction, form: SupForm): SupFieldErrors {
  const errors: SupFieldErrors = {};
  if (form.syncSource === "upstream-url" && !HTTP_URL.test(form.upstreamUrl.trim()))
    errors.upstreamUrl = t("componentProperties.errors.url");
  if (form.useProxy && !HTTP_URL.test(form.proxyUrl.trim())) errors.proxyUrl = t("componentProperties.errors.url");
  if (form.caBundle.trim() !== "" && !PEM.test(form.caBundle)) errors.caBundle = t("componentProperties.errors.pem");
  if (!form.expireImmediately && wholeNumber(form.months, 1, 99) === undefined)
    errors.months = t("componentProperties.errors.months");
  if (!form.featureExpireImmediately && wholeNumber(form.featureMonths, 1, 99) === undefined)
    errors.featureMonths = t("componentProperties.errors.months");
  for (const field of ["feature", "windowsOrOffice", "other"] as const)
    if (wholeNumber(form[field], 1, 9999) === undefined) errors[field] = t("componentProperties.errors.minutes");
  if (form.languages.length === 0) errors.languages = t("componentProperties.errors.languages");
  const schedule = validateSchedule(t, form.schedule);
  for (const field of SCHEDULE_FIELDS) if (schedule[field]) errors[field] = schedule[field];
  return errors;
}

/**
 * The PUT body: only the settings that differ from `settings`; null when nothing does. Assumes a valid form.
 * `defaultZone` as given to formFromSettings.
 */
export function supChanges(
  settings: SupSettingsDto,
  form: SupForm,
  defaultZone?: string,
): UpdateSupSettingsRequest | null {
  const initial = formFromSettings(settings);
  const body: UpdateSupSettingsRequest = {};
  if (form.syncSource !== settings.syncSource) body.syncSource = form.syncSource;
  const url = form.upstreamUrl.trim();
  if (url !== initial.upstreamUrl) body.upstreamUrl = url === "" ? null : url;
  if (!form.useProxy) {
    if (settings.proxy !== null) body.proxy = null;
  } else if (
    form.proxyUrl.trim() !== initial.proxyUrl ||
    form.proxyUsername.trim() !== initial.proxyUsername ||
    form.proxyPassword !== "" ||
    settings.proxy === null
  ) {
    body.proxy = {
      url: form.proxyUrl.trim(),
      username: form.proxyUsername.trim() === "" ? null : form.proxyUsername.trim(),
      ...(form.proxyPassword !== "" ? { password: form.proxyPassword } : {}),
    };
  }
  if (form.caBundle.trim() !== initial.caBundle.trim())
    body.upstreamCaBundle = form.caBundle.trim() === "" ? null : form.caBundle.trim();
  if (!sameSet(form.classifications, initial.classifications)) body.classifications = sorted(form.classifications);
  if (!sameSet(form.products, initial.products)) body.products = sorted(form.products);
  if (!sameSet(form.languages, initial.languages)) body.languages = sorted(form.languages);
  const s = settings.supersedence;
  const months = form.expireImmediately ? s.months : (wholeNumber(form.months, 1, 99) ?? s.months);
  const featureMonths = form.featureExpireImmediately
    ? s.featureMonths
    : (wholeNumber(form.featureMonths, 1, 99) ?? s.featureMonths);
  if (
    form.expireImmediately !== s.expireImmediately ||
    months !== s.months ||
    form.featureExpireImmediately !== s.featureExpireImmediately ||
    featureMonths !== s.featureMonths
  )
    body.supersedence = {
      expireImmediately: form.expireImmediately,
      months,
      featureExpireImmediately: form.featureExpireImmediately,
      featureMonths,
    };
  const m = settings.maxRunTimeMinutes;
  const minutes = {
    feature: wholeNumber(form.feature, 1, 9999) ?? m.feature,
    windowsOrOffice: wholeNumber(form.windowsOrOffice, 1, 9999) ?? m.windowsOrOffice,
    other: wholeNumber(form.other, 1, 9999) ?? m.other,
  };
  if (minutes.feature !== m.feature || minutes.windowsOrOffice !== m.windowsOrOffice || minutes.other !== m.other)
    body.maxRunTimeMinutes = minutes;
  if (form.removeObsoleteRevisions !== settings.maintenance.removeObsoleteRevisions)
    body.maintenance = { removeObsoleteRevisions: form.removeObsoleteRevisions };
  if (isScheduleChanged(form.schedule, settings, defaultZone))
    Object.assign(body, scheduleChanges(form.schedule, settings));
  return Object.keys(body).length > 0 ? body : null;
}

/** Whether the form differs from the settings as loaded (what the unsaved-change warning asks about). */
export function isSupFormDirty(settings: SupSettingsDto, form: SupForm, defaultZone?: string): boolean {
  const initial = formFromSettings(settings, defaultZone);
  return (Object.keys(initial) as (keyof SupForm)[]).some((key) => {
    if (key === "schedule") return isScheduleChanged(form.schedule, settings, defaultZone);
    const a = initial[key];
    const b = form[key];
    return Array.isArray(a) && Array.isArray(b) ? !sameSet(a, b) : a !== b;
  });
}

/** The server's path for a field (`body.supersedence.months`) → the form's field. */
const SERVER_FIELDS: [RegExp, SupField][] = [
  [/(^|\.)syncSource$/, "syncSource"],
  [/(^|\.)upstreamUrl$/, "upstreamUrl"],
  [/(^|\.)proxy\.url$/, "proxyUrl"],
  [/(^|\.)proxy\.username$/, "proxyUsername"],
  [/(^|\.)proxy\.password$/, "proxyPassword"],
  [/(^|\.)proxy$/, "proxyUrl"],
  [/(^|\.)upstreamCaBundle$/, "caBundle"],
  [/(^|\.)classifications(\.\d+)?$/, "classifications"],
  [/(^|\.)products(\.\d+)?$/, "products"],
  [/(^|\.)languages(\.\d+)?$/, "languages"],
  [/(^|\.)supersedence\.months$/, "months"],
  [/(^|\.)supersedence\.featureMonths$/, "featureMonths"],
  [/(^|\.)maxRunTimeMinutes\.feature$/, "feature"],
  [/(^|\.)maxRunTimeMinutes\.windowsOrOffice$/, "windowsOrOffice"],
  [/(^|\.)maxRunTimeMinutes\.other$/, "other"],
];

/** A 400's field messages on the form's fields: in the user's language with `t`, else as the server sent them. */
export function serverSupErrors(error: unknown, t?: TFunction): SupFieldErrors {
  const errors: SupFieldErrors = {};
  if (!(error instanceof ApiError)) return errors;
  const fields = t ? localizedFields(t, error.fields) : error.fields;
  for (const { field, message } of fields) {
    const match = SERVER_FIELDS.find(([pattern]) => pattern.test(field));
    if (match && !errors[match[1]]) errors[match[1]] = message;
  }
  // The schedule's fields, named as the Synchronization Schedule page names them.
  const schedule = serverScheduleErrors(fields).errors;
  for (const field of SCHEDULE_FIELDS) if (schedule[field] && !errors[field]) errors[field] = schedule[field];
  return errors;
}

/** The first tab, in tab order, that has an error. */
export function firstTabWithError(errors: SupFieldErrors): Tab | undefined {
  const tabs = new Set((Object.keys(errors) as SupField[]).map((field) => FIELD_TAB[field]));
  return TABS.find((tab) => tabs.has(tab));
}
