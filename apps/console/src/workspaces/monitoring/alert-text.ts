// An alert's title and message in the console's language. The server writes both in English (for notifications and
// API callers) and keeps the facts behind them in `details` (contracts' SyncFailedAlertDetails, …): the console words
// its own text from the alert's type, site and details, and shows the server's text only for what it cannot word — a
// type it does not know yet, or an alert whose details lack what the sentence needs.
import {
  RUN_PHASES,
  type AlertDto,
  type NewCategoriesAlertDetails,
  type NewCategoryRef,
  type RunPhase,
  type SyncFailedAlertDetails,
  type SyncStalledAlertDetails,
} from "@syncpoint/contracts";
import type { TFunction } from "i18next";
import { errorCodeMeaning, runPhaseLabel } from "../../i18n/sync-labels.ts";

type AlertFacts = Pick<AlertDto, "type" | "siteCode" | "title" | "message" | "details">;

/** How the message formats what it names: instants and lists in the console's language. */
export interface AlertFormats {
  time: (iso: string) => string;
  list: (items: string[]) => string;
}

export function alertTitle(t: TFunction, alert: AlertFacts): string {
  switch (alert.type) {
    case "sync-failed":
      return alert.siteCode ? t("alerts.text.syncFailed.title", { site: alert.siteCode }) : alert.title;
    case "sync-stalled":
      return alert.siteCode ? t("alerts.text.syncStalled.title", { site: alert.siteCode }) : alert.title;
    case "new-categories": {
      const details = newCategoriesDetails(alert.details);
      return details ? t("alerts.text.newCategories.title", { count: details.categories.length }) : alert.title;
    }
    default:
      return alert.title;
  }
}

export function alertMessage(t: TFunction, alert: AlertFacts, formats: AlertFormats): string {
  switch (alert.type) {
    case "sync-failed": {
      const details = syncFailedDetails(alert.details);
      if (!details) return alert.message;
      const reason =
        (details.errorCode ? errorCodeMeaning(t, details.errorCode) : undefined) ??
        t("alerts.text.syncFailed.reasonUnknown");
      return t("alerts.text.syncFailed.message", { reason, time: formats.time(details.retryAt) });
    }
    case "sync-stalled": {
      const details = syncStalledDetails(alert.details);
      if (!details || !alert.siteCode) return alert.message;
      const time = formats.time(details.lastProgressAt);
      const phase = details.phase && isRunPhase(details.phase) ? runPhaseLabel(t, details.phase) : details.phase;
      return phase
        ? t("alerts.text.syncStalled.message", { site: alert.siteCode, time, phase })
        : t("alerts.text.syncStalled.messageNoPhase", { site: alert.siteCode, time });
    }
    case "new-categories": {
      const details = newCategoriesDetails(alert.details);
      if (!details) return alert.message;
      const named = details.categories.map((category) =>
        t("alerts.text.newCategories.category", { title: category.title, kind: categoryKindLabel(t, category.type) }),
      );
      return t("alerts.text.newCategories.message", { categories: formats.list(named) });
    }
    default:
      return alert.message;
  }
}

/** The run's error code and its own (English) error text, for the details pane of a sync-failed alert. */
export function alertRunError(alert: AlertFacts): { code: string; message: string | null } | undefined {
  if (alert.type !== "sync-failed") return undefined;
  const details = syncFailedDetails(alert.details);
  return details?.errorCode ? { code: details.errorCode, message: details.errorMessage ?? null } : undefined;
}

/** A product's or classification's kind as the server's new-categories alert names it; an unknown one as sent. */
function categoryKindLabel(t: TFunction, kind: string): string {
  switch (kind) {
    case "product":
      return t("alerts.text.categoryKinds.product");
    case "product family":
      return t("alerts.text.categoryKinds.productFamily");
    case "company":
      return t("alerts.text.categoryKinds.company");
    case "classification":
      return t("alerts.text.categoryKinds.classification");
    default:
      return kind;
  }
}

const isRunPhase = (phase: string): phase is RunPhase => (RUN_PHASES as readonly string[]).includes(phase);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const stringOrNull = (value: unknown): string | null => (typeof value === "string" ? value : null);
const isInstant = (value: unknown): value is string => typeof value === "string" && Number.isFinite(Date.parse(value));

function syncFailedDetails(details: unknown): SyncFailedAlertDetails | undefined {
  if (!isRecord(details) || typeof details.runId !== "string" || !isInstant(details.retryAt)) return undefined;
  return {
    runId: details.runId,
    errorCode: stringOrNull(details.errorCode),
    errorMessage: stringOrNull(details.errorMessage),
    retryAt: details.retryAt,
  };
}

function syncStalledDetails(details: unknown): SyncStalledAlertDetails | undefined {
  if (!isRecord(details) || typeof details.runId !== "string" || !isInstant(details.lastProgressAt)) {
    return undefined;
  }
  return { runId: details.runId, phase: stringOrNull(details.phase), lastProgressAt: details.lastProgressAt };
}

function newCategoriesDetails(details: unknown): NewCategoriesAlertDetails | undefined {
  if (!isRecord(details) || !Array.isArray(details.categories)) return undefined;
  const categories = details.categories.filter(
    (c): c is NewCategoryRef => isRecord(c) && typeof c.title === "string" && typeof c.type === "string",
  );
  return categories.length > 0 && categories.length === details.categories.length ? { categories } : undefined;
}
