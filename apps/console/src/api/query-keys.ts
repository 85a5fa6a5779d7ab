// Query-key factory: every cached resource has exactly one key builder, so hooks, mutations and (later) socket
// events invalidate the same keys.
import type { AuditRequest } from "./audit.ts";

export const queryKeys = {
  me: () => ["auth", "me"] as const,
  sites: () => ["sites"] as const,
  users: () => ["users"] as const,
  tokens: () => ["tokens"] as const,
  /** Every audit page: what a mutation invalidates, since each one writes an audit record. */
  audit: () => ["audit"] as const,
  auditPage: (request: AuditRequest) => ["audit", "page", request] as const,
};
