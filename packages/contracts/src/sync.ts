import { z } from "zod";
import { pageOf, pageQuery } from "./pagination.ts";
import { SyncSchedule } from "./schedule.ts";
import { withReason, type FieldReason } from "./errors.ts";
import { httpOrHttps, withoutCredentials } from "./urls.ts";
import { LinkState, RunPhase, RunState, RunTrigger, SupState, SyncSource } from "./vocabulary.ts";

/**
 * Why a queued run has not started (`waitingReason`): `worker` — queued for the next free worker process; `resume` —
 * its worker stopped, queued again to resume from its last checkpoint; `no-worker` — no worker process is running
 * (none has sent a heartbeat lately), so nothing will start it until one does.
 */
export const WAITING_REASONS = ["worker", "resume", "no-worker"] as const;
export type WaitingReason = (typeof WAITING_REASONS)[number];

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
  /** The update package the run applies (a disconnected top-level site's import, trigger `import`). */
  packageId: z.string().uuid().nullable().optional(),
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
  /** When the last failed run is retried automatically (trigger `retry`), if it failed. */
  retryAt: z.string().datetime().nullable(),
  /**
   * Only in a `sup-status` event, never in REST lists: the site was removed (Administration › Sites) and this is its
   * last row; drop it.
   */
  removed: z.literal(true).optional(),
});
export type SupSyncStatusRow = z.infer<typeof SupSyncStatusRow>;

/**
 * The tiles above the status table, over the whole hierarchy whatever the filters. Each software update point is
 * counted once, by the first that applies: `inProgress` (its latest run is queued, running or canceling), `failed`
 * (it failed), `never` (it has no run), `behind` (its catalog version is below its parent site's), else `inSync`.
 */
export const SupStatusSummary = z.object({
  inSync: z.number().int(),
  inProgress: z.number().int(),
  failed: z.number().int(),
  behind: z.number().int(),
  never: z.number().int(),
});
export type SupStatusSummary = z.infer<typeof SupStatusSummary>;

/** `GET /api/sup-sync-status` filters, for hierarchies of thousands of sites. */
export const SupSyncStatusQuery = z.object({
  /** Rows whose state (latest run's state, or never) is this. */
  state: SupState.optional(),
  /** Rows of the direct child sites of this site. */
  parent: z
    .string()
    .regex(/^[A-Za-z0-9]{3}$/, "parent is a site code such as P01")
    .transform((v) => v.toUpperCase())
    .optional(),
  /** Rows whose site code or server name starts with this (case-insensitive). */
  search: z.string().trim().max(253, "search is at most 253 characters").optional(),
});
export type SupSyncStatusQuery = z.infer<typeof SupSyncStatusQuery>;

export const SupSyncStatusList = z.object({ items: z.array(SupSyncStatusRow), summary: SupStatusSummary });
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
  supersedence: z.object({
    expireImmediately: z.boolean(),
    months: z.number().int(),
    featureExpireImmediately: z.boolean(),
    featureMonths: z.number().int(),
  }),
  maxRunTimeMinutes: z.object({
    feature: z.number().int(),
    windowsOrOffice: z.number().int(),
    other: z.number().int(),
  }),
  /** WSUS Maintenance: what runs after every successful sync of the top-level site. */
  maintenance: z.object({
    /** Delete stored update revisions that no site's catalog references any more. */
    removeObsoleteRevisions: z.boolean(),
  }),
  scheduleEnabled: z.boolean(),
  schedule: SyncSchedule,
  /** When the schedule next starts a sync (null when disabled). */
  nextSyncAt: z.string().datetime().nullable(),
  /** The next few scheduled times, for the console. */
  upcomingSyncs: z.array(z.string().datetime()),
  /** "Pause all schedules" (maintenance window): scheduled syncs and automatic retries wait while on. */
  schedulesPaused: z.boolean(),
  schedulesPausedAt: z.string().datetime().nullable(),
  schedulesPausedBy: z.string().nullable(),
  syncFailureAlert: z.boolean(),
  retryMinutes: z.number().int(),
  stalledMinutes: z.number().int(),
  proxy: z.object({ url: z.string(), username: z.string().nullable(), hasPassword: z.boolean() }).nullable(),
  upstreamCaBundle: z.string().nullable(),
  retention: z.object({ statusMessageDays: z.number().int(), runDays: z.number().int(), auditDays: z.number().int() }),
  smtp: z
    .object({
      host: z.string(),
      port: z.number().int(),
      secure: z.boolean(),
      username: z.string().nullable(),
      hasPassword: z.boolean(),
      from: z.string().nullable(),
    })
    .nullable(),
  updatedAt: z.string().datetime(),
});
export type SupSettingsDto = z.infer<typeof SupSettingsDto>;

const HttpUrl = z
  .string()
  .trim()
  .url("enter an http or https URL")
  .max(2048)
  .superRefine(httpOrHttps("enter an http or https URL"))
  .refine(withoutCredentials, withReason("url_has_credentials", "the URL must not contain a user name or password"));
const Guid = z.string().uuid("each entry is a category GUID").toLowerCase();
const Minutes = (max: number) => z.number().int().min(1, `at least 1 minute`).max(max, `at most ${max} minutes`);
const Days = z.number().int().min(1, "at least 1 day").max(3650, "at most 3650 days");

/** `PUT /api/sup-settings`: only the fields sent change. Secrets are write-only; `null` clears a group. */
export const UpdateSupSettingsRequest = z
  .object({
    syncSource: z.enum(["microsoft-update", "upstream-url", "disconnected"]),
    upstreamUrl: HttpUrl.nullable(),
    products: z.array(Guid).max(5_000),
    classifications: z.array(Guid).max(100),
    languages: z.array(z.string().trim().min(2).max(16)).max(100),
    supersedence: z
      .object({
        expireImmediately: z.boolean(),
        months: z.number().int().min(1, "months is 1–99").max(99, "months is 1–99"),
        featureExpireImmediately: z.boolean(),
        featureMonths: z.number().int().min(1, "featureMonths is 1–99").max(99, "featureMonths is 1–99"),
      })
      .strict(),
    maxRunTimeMinutes: z
      .object({ feature: Minutes(9999), windowsOrOffice: Minutes(9999), other: Minutes(9999) })
      .strict(),
    maintenance: z.object({ removeObsoleteRevisions: z.boolean() }).strict(),
    scheduleEnabled: z.boolean(),
    schedule: SyncSchedule,
    schedulesPaused: z.boolean(),
    syncFailureAlert: z.boolean(),
    retryMinutes: Minutes(10_080),
    stalledMinutes: Minutes(1_440),
    proxy: z
      .object({
        url: HttpUrl,
        username: z.string().trim().max(256).nullable().optional(),
        /** Write-only; omit to keep the stored one. */
        password: z.string().max(1024).nullable().optional(),
      })
      .strict()
      .nullable(),
    upstreamCaBundle: z
      .string()
      .max(1_000_000)
      .refine(
        (pem) => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(pem),
        withReason(
          "ca_bundle_not_pem",
          "upstreamCaBundle is one or more PEM certificates (-----BEGIN CERTIFICATE----- …)",
        ),
      )
      .nullable(),
    retention: z.object({ statusMessageDays: Days, runDays: Days, auditDays: Days }).strict(),
    smtp: z
      .object({
        host: z.string().trim().min(1, "enter the SMTP server").max(255),
        port: z.number().int().min(1).max(65535),
        secure: z.boolean(),
        username: z.string().trim().max(256).nullable().optional(),
        password: z.string().max(1024).nullable().optional(),
        from: z.string().trim().email("from is an email address").max(254).nullable().optional(),
      })
      .strict()
      .nullable(),
  })
  .partial()
  .strict()
  .refine(
    (body) => Object.keys(body).length > 0,
    withReason("nothing_to_change", "send at least one setting to change"),
  );
export type UpdateSupSettingsRequest = z.infer<typeof UpdateSupSettingsRequest>;

/**
 * `GET /api/sup-settings/schedule-preview`: when a schedule would run if it were saved now — for a form's unsaved
 * edits. `schedule` is the SyncSchedule as JSON (a simple one without `startAt` starts counting now, as on save).
 */
export const SchedulePreviewQuery = z
  .object({
    schedule: z
      .string()
      .max(2_000)
      .transform((text, check) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          check.addIssue({
            code: "custom",
            message: "schedule is a Sync Schedule as JSON",
            params: { reason: "malformed_json" satisfies FieldReason },
          });
          return z.NEVER;
        }
      })
      .pipe(SyncSchedule),
    count: z.coerce.number().int().min(1, "count is 1–10").max(10, "count is 1–10").default(5),
  })
  .strict();
export type SchedulePreviewQuery = z.infer<typeof SchedulePreviewQuery>;

export const SchedulePreview = z.object({
  /** The next `count` times, oldest first (ISO-8601, UTC). */
  times: z.array(z.string().datetime()),
});
export type SchedulePreview = z.infer<typeof SchedulePreview>;

/** `POST /api/sup-settings/test-connection`: runs the auth chain and GetConfigData against the configured source. */
export const TestConnectionResult = z.object({
  ok: z.boolean(),
  url: z.string().nullable(),
  steps: z.array(
    z.object({
      step: z.enum(["GetAuthConfig", "GetAuthorizationCookie", "GetCookie", "GetConfigData"]),
      ok: z.boolean(),
      ms: z.number(),
    }),
  ),
  errorCode: z.string().nullable(),
  /** What failed, in words an administrator can act on. */
  message: z.string(),
  protocolVersion: z.string().nullable(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;
