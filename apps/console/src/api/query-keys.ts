// Query-key factory: every cached resource has exactly one key builder, so hooks, mutations and socket events
// (src/realtime) update or invalidate the same keys.
import type { AlertsRequest } from "./alerts.ts";
import type { AuditRequest } from "./audit.ts";
import type { SoftwareUpdatesRequest } from "./software-updates.ts";
import type { StatusMessagesRequest, SyncRunsRequest } from "./sync.ts";

export const queryKeys = {
  me: () => ["auth", "me"] as const,
  sites: () => ["sites"] as const,
  users: () => ["users"] as const,
  tokens: () => ["tokens"] as const,
  /** Every audit page: what a mutation invalidates, since each one writes an audit record. */
  audit: () => ["audit"] as const,
  auditPage: (request: AuditRequest) => ["audit", "page", request] as const,
  /** Monitoring › Software Update Point Synchronization Status: kept current by `sup-status` events. */
  supSyncStatus: () => ["sup-sync-status"] as const,
  /** Everything about runs: lists, single runs and their logs. */
  syncRuns: () => ["sync-runs"] as const,
  syncRunLists: () => ["sync-runs", "list"] as const,
  syncRunList: (request: SyncRunsRequest) => ["sync-runs", "list", request] as const,
  syncRun: (id: string) => ["sync-runs", "detail", id] as const,
  syncRunLog: (id: string) => ["sync-runs", "log", id] as const,
  statusMessages: () => ["status-messages"] as const,
  statusMessagesOf: (request: StatusMessagesRequest) => ["status-messages", request] as const,
  softwareUpdates: () => ["software-updates"] as const,
  softwareUpdatesPage: (request: SoftwareUpdatesRequest) => ["software-updates", "page", request] as const,
  /** The Software Update Point Component Properties (schedule, pause, alerts, retries): no socket event keeps them. */
  supSettings: () => ["sup-settings"] as const,
  /** The next times of a schedule not saved yet (its JSON), as saving it now would give them. */
  schedulePreview: (schedule: string, count: number) => ["schedule-preview", schedule, count] as const,
  /** Everything about alerts: lists and the active count; `alert` events keep them current. */
  alerts: () => ["alerts"] as const,
  alertLists: () => ["alerts", "list"] as const,
  alertList: (request: AlertsRequest) => ["alerts", "list", request] as const,
  activeAlertCount: () => ["alerts", "active-count"] as const,
  /** Administration › Notifications: the subscriptions; no socket event carries them. */
  notificationSubscriptions: () => ["notification-subscriptions"] as const,
  /** Software Library › Import Updates: catalog searches (what each hit's state is changes with imports). */
  catalogSearches: () => ["catalog-search"] as const,
  catalogSearch: (q: string) => ["catalog-search", q] as const,
  importedUpdates: () => ["imported-updates"] as const,
  importedUpdatesPage: (page: number, pageSize: number) => ["imported-updates", page, pageSize] as const,
  /** Software Library › Update Packages: the packages uploaded to the top-level site. */
  updatePackages: () => ["update-packages"] as const,
  updatePackagesPage: (page: number, pageSize: number) => ["update-packages", page, pageSize] as const,
  /** Administration › Security › API Reference: the server's OpenAPI document. */
  openApi: () => ["openapi"] as const,
};
