import { AuditPage, AuditQuery } from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import { listAuditEvents } from "../services/audit.ts";

export const auditRoutes = [
  defineRoute({
    method: "get",
    path: "/audit",
    access: "read",
    summary: "Audit records, newest first; filter by actor, action (prefix), target, outcome and time.",
    query: AuditQuery,
    response: AuditPage,
    handler: async ({ query, ctx }) => ({ body: await listAuditEvents(ctx, query) }),
  }),
];
