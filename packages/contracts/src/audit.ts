import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";

export const AuditOutcome = z.enum(["success", "failure"]);
export type AuditOutcome = z.infer<typeof AuditOutcome>;

export const AuthMethod = z.enum(["session", "token", "anonymous"]);
export type AuthMethod = z.infer<typeof AuthMethod>;

export const AuditEventDto = z.object({
  id: z.string(),
  at: z.string().datetime(),
  actor: z.string().nullable(),
  actorRole: z.string().nullable(),
  authMethod: AuthMethod,
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: AuditOutcome,
  errorCode: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  details: z.unknown().nullable(),
  sourceAddress: z.string().nullable(),
  requestId: z.string().nullable(),
});
export type AuditEventDto = z.infer<typeof AuditEventDto>;

export const AuditQuery = pageQuery(["at", "action", "actor"], "-at").extend({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(128).optional(),
  outcome: AuditOutcome.optional(),
  from: z.string().datetime({ error: "from is an ISO-8601 time" }).optional(),
  to: z.string().datetime({ error: "to is an ISO-8601 time" }).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = pageOf(AuditEventDto);
export type AuditPage = z.infer<typeof AuditPage>;
