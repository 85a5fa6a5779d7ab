import { AlertDto, AlertPage, AlertsQuery, IdParams } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { acknowledgeAlert, listAlerts } from "../services/alerts.ts";

export const alertRoutes = [
  defineRoute({
    method: "get",
    path: "/alerts",
    access: "read",
    summary: "Alerts, newest first; filter by state, type or site.",
    query: AlertsQuery,
    response: AlertPage,
    handler: async ({ ctx, query }) => ({ body: await listAlerts(ctx, query) }),
  }),
  defineRoute({
    method: "post",
    path: "/alerts/:id/acknowledge",
    access: "alerts.acknowledge",
    audit: { action: "alert.acknowledge" },
    summary: "Acknowledge an active alert: it stays listed until its condition clears.",
    params: IdParams,
    response: AlertDto,
    handler: async ({ ctx, params, principal, audit }) => {
      audit.target("alert", params.id);
      const { before, after } = await acknowledgeAlert(ctx, params.id, principal!.username);
      audit.before(before).after(after);
      return { body: after };
    },
  }),
];
