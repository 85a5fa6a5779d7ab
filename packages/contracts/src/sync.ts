import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";
import { LinkState, RunPhase, RunState, RunTrigger, SupState, SyncSource } from "./vocabulary.ts";

export const StartSyncRequest = z.object({ fullSync: z.boolean().optional() }).strict();
export type StartSyncRequest = z.infer<typeof StartSyncRequest>;

export const StartSyncResponse = z.object({ runId: z.string().uuid() });
export type StartSyncResponse = z.infer<typeof StartSyncResponse>;

export const RunCounts = z.object({
  new: z.number().int(),
  revised: z.number().int(),
  expired: z.number().int(),
  superseded: z.number().int(),
  removed: z.number().int(),
});
export type RunCounts = z.infer<typeof RunCounts>;

/** `GET /api/sync-runs/:id`, and the `sync-run` socket event's payload (plus `seq`). */
export const SyncRunDto = z.object({
  id: z.string().uuid(),
  siteCode: z.string(),
  supServer: z.string(),
  trigger: RunTrigger,
  fullSync: z.boolean(),
  state: RunState,
  phase: RunPhase.nullable(),
  percent: z.number().int().min(0).max(100),
  processed: z.number().int(),
  total: z.number().int(),
  etaSeconds: z.number().int().nullable(),
  waitingReason: z.string().nullable(),
  counts: RunCounts,
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  requestedBy: z.string().nullable(),
  catalogVersionBefore: z.number().int().nullable(),
  catalogVersionAfter: z.number().int().nullable(),
  queuedAt: z.string().datetime(),
  startedAt: z.string().datetime().nullable(),
  finishedAt: z.string().datetime().nullable(),
});
export type SyncRunDto = z.infer<typeof SyncRunDto>;

export const SyncRunsQuery = pageQuery(["queuedAt"], "-queuedAt").extend({
  site: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "site is a site code such as CAS")
    .optional(),
});
export type SyncRunsQuery = z.infer<typeof SyncRunsQuery>;
export const SyncRunPage = pageOf(SyncRunDto);
export type SyncRunPage = z.infer<typeof SyncRunPage>;

export const SyncLogQuery = z.object({ after: z.coerce.number().int().min(0).optional() });

/** One row of Monitoring › Software Update Point Synchronization Status (and the `sup-status` event). */
export const SupSyncStatusRow = z.object({
  siteCode: z.string(),
  parentCode: z.string().nullable(),
  supServer: z.string(),
  syncSource: SyncSource,
  syncSourceUrl: z.string().nullable(),
  state: SupState,
  phase: RunPhase.nullable(),
  percent: z.number().int().min(0).max(100),
  processed: z.number().int(),
  total: z.number().int(),
  etaSeconds: z.number().int().nullable(),
  waitingReason: z.string().nullable(),
  runId: z.string().uuid().nullable(),
  /** SMS_SUPSyncStatus.LastSyncState: 6701 started, 6702 done, 6703 failed, 6704/6705 in progress. */
  lastSyncStateId: z.number().int().nullable(),
  lastSyncTime: z.string().datetime().nullable(),
  lastSuccessfulSyncTime: z.string().datetime().nullable(),
  lastErrorCode: z.string().nullable(),
  catalogVersion: z.number().int(),
  linkState: LinkState,
});
export type SupSyncStatusRow = z.infer<typeof SupSyncStatusRow>;
export const SupSyncStatusList = z.object({ items: z.array(SupSyncStatusRow) });
export type SupSyncStatusList = z.infer<typeof SupSyncStatusList>;

export const SyncLogLineDto = z.object({
  seq: z.number().int(),
  time: z.string().datetime(),
  severity: z.enum(["info", "warning", "error"]),
  text: z.string(),
});
export type SyncLogLineDto = z.infer<typeof SyncLogLineDto>;

/** The `sync-log` socket event: new lines of one run, to sockets that subscribed to it. */
export interface SyncLogEvent {
  seq: number;
  runId: string;
  lines: SyncLogLineDto[];
}

export const StatusMessageDto = z.object({
  id: z.string(),
  siteCode: z.string(),
  runId: z.string().nullable(),
  messageId: z.number().int(),
  severity: z.enum(["I", "W", "E"]),
  component: z.string(),
  time: z.string().datetime(),
  insertionStrings: z.array(z.string()),
  text: z.string(),
});
export type StatusMessageDto = z.infer<typeof StatusMessageDto>;
export const StatusMessagesQuery = pageQuery(["time"], "-time").extend({
  site: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "site is a site code such as CAS")
    .optional(),
  runId: z.string().uuid().optional(),
});
export const StatusMessagePage = pageOf(StatusMessageDto);
export type StatusMessagePage = z.infer<typeof StatusMessagePage>;

/** The Software Update Point Component Properties (hierarchy-wide, edited at the top-level site). */
export const SupSettingsDto = z.object({
  syncSource: SyncSource,
  upstreamUrl: z.string().nullable(),
  products: z.array(z.string()),
  classifications: z.array(z.string()),
  languages: z.array(z.string()),
  updatedAt: z.string().datetime(),
});
export type SupSettingsDto = z.infer<typeof SupSettingsDto>;
