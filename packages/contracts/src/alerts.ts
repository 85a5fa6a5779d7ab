// Monitoring › Alerts: `GET /api/alerts`, `POST /api/alerts/:id/acknowledge`, and the `alert` socket event.
import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";
import { AlertState } from "./vocabulary.ts";

export const ALERT_TYPES = ["new-categories", "sync-failed", "sync-stalled"] as const;
export const AlertType = z.enum(ALERT_TYPES);
export type AlertType = z.infer<typeof AlertType>;

export const AlertSeverity = z.enum(["info", "warning", "error"]);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const AlertDto = z.object({
  id: z.string().uuid(),
  type: AlertType,
  severity: AlertSeverity,
  state: AlertState,
  siteCode: z.string().nullable(),
  title: z.string(),
  message: z.string(),
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
