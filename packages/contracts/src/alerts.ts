// Monitoring › Alerts: `GET /api/alerts`, `POST /api/alerts/:id/acknowledge`, and the `alert` socket event.
import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";
import { AlertState } from "./vocabulary.ts";

export const ALERT_TYPES = ["new-categories", "sync-failed", "sync-stalled"] as const;
export const AlertType = z.enum(ALERT_TYPES);
export type AlertType = z.infer<typeof AlertType>;

export const AlertSeverity = z.enum(["info", "warning", "error"]);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

/**
 * What `details` holds for each alert type: the structured facts behind `title` and `message`, which are written in
 * English for notifications and API callers. The console words its own text from these, in the user's language, and
 * shows `title`/`message` as sent for a type (or an older alert) it cannot word itself. Fields are only ever added.
 */
export type SyncFailedAlertDetails = {
  /** The run that failed (the latest one, while the alert stays open through failing retries). */
  runId: string;
  /** The run's error code (ERROR_CODES), null when the run recorded none. */
  errorCode: string | null;
  /** The run's own error text: the technical detail behind the code, as the engine wrote it (English). */
  errorMessage?: string | null;
  /** When the failed site is retried (ISO-8601). */
  retryAt: string;
};

export type SyncStalledAlertDetails = {
  runId: string;
  /** The phase the run is stuck in (RUN_PHASES), null when it had not reached one. */
  phase: string | null;
  /** The last time the run made progress (ISO-8601). */
  lastProgressAt: string;
};

/** One product or classification the upstream offers since the last sync. */
export type NewCategoryRef = {
  id: string;
  title: string;
  /** "product", "product family", "company" or "classification". */
  type: string;
};

export type NewCategoriesAlertDetails = {
  /** Everything the open alert names, those it named before first. */
  categories: NewCategoryRef[];
};

export const AlertDto = z.object({
  id: z.string().uuid(),
  type: AlertType,
  severity: AlertSeverity,
  state: AlertState,
  siteCode: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  /** By type: SyncFailedAlertDetails, SyncStalledAlertDetails, NewCategoriesAlertDetails. */
  details: z.unknown().nullable(),
  raisedAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
  acknowledgedAt: z.string().datetime().nullable(),
  acknowledgedBy: z.string().nullable(),
  canceledAt: z.string().datetime().nullable(),
});
export type AlertDto = z.infer<typeof AlertDto>;

export const AlertsQuery = pageQuery(["raisedAt", "updatedAt"], "-raisedAt").extend({
  state: AlertState.optional(),
  type: AlertType.optional(),
  site: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "site is a site code such as CAS")
    .optional(),
});
export type AlertsQuery = z.infer<typeof AlertsQuery>;

export const AlertPage = pageOf(AlertDto);
export type AlertPage = z.infer<typeof AlertPage>;
