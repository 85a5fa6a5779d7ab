import { z } from "zod";
import { withReason } from "./errors.ts";
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

/** PostgreSQL's calendar starts at the year 1; JavaScript (and ISO-8601) also know a year 0, which it refuses. */
const YEAR_1 = Date.parse("0001-01-01T00:00:00Z");
const QueryTime = (name: string) =>
  z
    .string()
    .datetime({ error: `${name} is an ISO-8601 time` })
    .refine(
      (value) => Date.parse(value) >= YEAR_1,
      withReason("invalid_datetime", `${name} is a time from the year 1 on`),
    );

export const AuditQuery = pageQuery(["at", "action", "actor"], "-at").extend({
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(128).optional(),
  outcome: AuditOutcome.optional(),
  from: QueryTime("from").optional(),
  to: QueryTime("to").optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditPage = pageOf(AuditEventDto);
export type AuditPage = z.infer<typeof AuditPage>;
