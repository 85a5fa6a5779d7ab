// The Software Update Point Component Properties: read and change them (PUT), keeping what the console shows equal
// to what runs — the next scheduled time is recomputed on every schedule change, secrets are stored encrypted and
// never returned, and saving the product selection marks new products as reviewed.
import {
  SyncSchedule,
  type SchedulePreview,
  type SchedulePreviewQuery,
  type SupSettingsDto,
  type SyncSchedule as Schedule,
  type UpdateSupSettingsRequest,
} from "@syncpoint/contracts";
import { SyncSource, type Prisma, type SupSettings } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { fieldError, notFound } from "../http/errors.ts";
import type { Principal } from "../http/principal.ts";
import { upcomingOccurrences } from "../scheduling/recurrence.ts";
import { parseAllowedHosts, upstreamUrlRefusal } from "../security/upstream-url.ts";
import type { AuditScope } from "./audit.ts";
import { syncSourceName } from "./sync-sources.ts";

const TO_DB_SOURCE = {
  "microsoft-update": SyncSource.microsoft_update,
  "upstream-url": SyncSource.upstream_url,
  disconnected: SyncSource.disconnected,
} as const;

/** How many upcoming scheduled times the settings show. */
const UPCOMING = 5;

export function storedSchedule(settings: SupSettings): Schedule {
  return SyncSchedule.parse(settings.schedule);
}

/** Where a schedule counts its intervals from: its start, or the last time it was due. */
export function scheduleAnchor(schedule: Schedule, settings: Pick<SupSettings, "nextSyncAt" | "updatedAt">): Date {
  if (schedule.kind === "simple" && schedule.startAt) return new Date(schedule.startAt);
  return settings.nextSyncAt ?? settings.updatedAt;
}

/**
 * A schedule as it is stored when saved at `now`: a new schedule starts counting then, so a simple schedule without a
 * start gets this moment as its start — later ticks and the console then compute the same times.
 */
function startingNow(schedule: Schedule, now: Date): Schedule {
  return schedule.kind === "simple" && !schedule.startAt ? { ...schedule, startAt: now.toISOString() } : schedule;
}

/** The first `count` times a schedule saved (or re-enabled) at `now` runs: the next one is its first occurrence from then. */
function firstOccurrences(schedule: Schedule, now: Date, count: number): Date[] {
  return upcomingOccurrences(schedule, now, scheduleAnchor(schedule, { nextSyncAt: null, updatedAt: now }), count);
}

/**
 * `GET /api/sup-settings/schedule-preview`: the times a schedule would run if it were saved now — computed exactly as
 * the save computes nextSyncAt and GET lists upcomingSyncs, so that what a form previews is what it then shows.
 */
export function previewSchedule(query: SchedulePreviewQuery, now = new Date()): SchedulePreview {
  return { times: firstOccurrences(startingNow(query.schedule, now), now, query.count).map((d) => d.toISOString()) };
}

export async function readSupSettings(ctx: AppContext, now = new Date()): Promise<SupSettingsDto> {
  const settings = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  if (!settings) throw notFound("The software update point settings");
  return toDto(settings, now);
}

function toDto(s: SupSettings, now: Date): SupSettingsDto {
  const schedule = storedSchedule(s);
  const upcoming =
    s.scheduleEnabled && s.nextSyncAt
      ? [s.nextSyncAt, ...upcomingOccurrences(schedule, s.nextSyncAt, scheduleAnchor(schedule, s), UPCOMING - 1)]
      : [];
  return {
    syncSource: syncSourceName(s.syncSource),
    upstreamUrl: s.upstreamUrl,
    products: s.products,
    classifications: s.classifications,
    languages: s.languages,
    supersedence: {
      expireImmediately: s.supersedenceExpireImmediately,
      months: s.supersedenceMonths,
      featureExpireImmediately: s.featureSupersedenceExpireImmediately,
      featureMonths: s.featureSupersedenceMonths,
    },
    maxRunTimeMinutes: {
      feature: s.featureUpdateMaxRunTimeMinutes,
      windowsOrOffice: s.nonFeatureUpdateMaxRunTimeMinutes,
      other: s.otherUpdateMaxRunTimeMinutes,
    },
    maintenance: { removeObsoleteRevisions: s.removeObsoleteRevisions },
    scheduleEnabled: s.scheduleEnabled,
    schedule,
    nextSyncAt: s.scheduleEnabled ? (s.nextSyncAt?.toISOString() ?? null) : null,
    upcomingSyncs: upcoming.filter((d) => d.getTime() >= now.getTime() - 60_000).map((d) => d.toISOString()),
    schedulesPaused: s.schedulesPaused,
    schedulesPausedAt: s.schedulesPausedAt?.toISOString() ?? null,
    schedulesPausedBy: s.schedulesPausedBy,
    syncFailureAlert: s.syncFailureAlert,
    retryMinutes: s.retryMinutes,
    stalledMinutes: s.stalledMinutes,
    proxy: s.proxyUrl
      ? { url: s.proxyUrl, username: s.proxyUsername, hasPassword: s.proxyPasswordEncrypted !== null }
      : null,
    upstreamCaBundle: s.upstreamCaBundle,
    retention: {
      statusMessageDays: s.statusMessageRetentionDays,
      runDays: s.runRetentionDays,
      auditDays: s.auditRetentionDays,
    },
    smtp: s.smtpHost
      ? {
          host: s.smtpHost,
          port: s.smtpPort,
          secure: s.smtpSecure,
          username: s.smtpUsername,
          hasPassword: s.smtpPasswordEncrypted !== null,
          from: s.smtpFrom,
        }
      : null,
    updatedAt: s.updatedAt.toISOString(),
  };
}

/** A write-only secret: undefined keeps the stored one, null clears it, a string replaces it (encrypted). */
function secret(ctx: AppContext, value: string | null | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  return value === null || value === "" ? null : ctx.secrets.encrypt(value);
}

export async function updateSupSettings(
  ctx: AppContext,
  principal: Principal,
  body: UpdateSupSettingsRequest,
  audit: AuditScope,
  now = new Date(),
): Promise<SupSettingsDto> {
  const current = await ctx.prisma.supSettings.findUnique({ where: { id: 1 } });
  if (!current) throw notFound("The software update point settings");
  audit.target("sup-settings", "1").before(toDto(current, now));

  const source = body.syncSource ?? syncSourceName(current.syncSource);
  const upstreamUrl = body.upstreamUrl === undefined ? current.upstreamUrl : body.upstreamUrl;
  if (source === "upstream-url" && !upstreamUrl) {
    throw fieldError(
      "body.upstreamUrl",
      "enter the upstream server's URL to synchronize from an upstream data source",
      "upstream_url_required",
    );
  }
  // A URL being entered, or the stored one about to be used again, must pass the upstream URL rules.
  if (upstreamUrl && (body.upstreamUrl !== undefined || body.syncSource === "upstream-url")) {
    const refusal = upstreamUrlRefusal(upstreamUrl, parseAllowedHosts(ctx.config.UPSTREAM_ALLOWED_HOSTS));
    if (refusal) {
      throw fieldError("body.upstreamUrl", refusal.message, refusal.reason, refusal.params, {
        code: "UPSTREAM_URL_NOT_ALLOWED",
      });
    }
  }

  const data: Prisma.SupSettingsUpdateInput = {};
  if (body.syncSource) data.syncSource = TO_DB_SOURCE[body.syncSource];
  if (body.upstreamUrl !== undefined) data.upstreamUrl = body.upstreamUrl;
  if (body.products) data.products = [...new Set(body.products)];
  if (body.classifications) data.classifications = [...new Set(body.classifications)];
  if (body.languages) data.languages = [...new Set(body.languages.map((l) => l.toLowerCase()))];
  if (body.supersedence) {
    data.supersedenceExpireImmediately = body.supersedence.expireImmediately;
    data.supersedenceMonths = body.supersedence.months;
    data.featureSupersedenceExpireImmediately = body.supersedence.featureExpireImmediately;
    data.featureSupersedenceMonths = body.supersedence.featureMonths;
  }
  if (body.maxRunTimeMinutes) {
    data.featureUpdateMaxRunTimeMinutes = body.maxRunTimeMinutes.feature;
    data.nonFeatureUpdateMaxRunTimeMinutes = body.maxRunTimeMinutes.windowsOrOffice;
    data.otherUpdateMaxRunTimeMinutes = body.maxRunTimeMinutes.other;
  }
  if (body.maintenance) data.removeObsoleteRevisions = body.maintenance.removeObsoleteRevisions;
  if (body.syncFailureAlert !== undefined) data.syncFailureAlert = body.syncFailureAlert;
  if (body.retryMinutes !== undefined) data.retryMinutes = body.retryMinutes;
  if (body.stalledMinutes !== undefined) data.stalledMinutes = body.stalledMinutes;
  if (body.upstreamCaBundle !== undefined) data.upstreamCaBundle = body.upstreamCaBundle;
  if (body.retention) {
    data.statusMessageRetentionDays = body.retention.statusMessageDays;
    data.runRetentionDays = body.retention.runDays;
    data.auditRetentionDays = body.retention.auditDays;
  }
  if (body.proxy === null) Object.assign(data, { proxyUrl: null, proxyUsername: null, proxyPasswordEncrypted: null });
  else if (body.proxy) {
    data.proxyUrl = body.proxy.url;
    if (body.proxy.username !== undefined) data.proxyUsername = body.proxy.username || null;
    const password = secret(ctx, body.proxy.password);
    if (password !== undefined) data.proxyPasswordEncrypted = password;
  }
  if (body.smtp === null) {
    Object.assign(data, { smtpHost: null, smtpUsername: null, smtpPasswordEncrypted: null, smtpFrom: null });
  } else if (body.smtp) {
    Object.assign(data, { smtpHost: body.smtp.host, smtpPort: body.smtp.port, smtpSecure: body.smtp.secure });
    if (body.smtp.username !== undefined) data.smtpUsername = body.smtp.username || null;
    if (body.smtp.from !== undefined) data.smtpFrom = body.smtp.from || null;
    const password = secret(ctx, body.smtp.password);
    if (password !== undefined) data.smtpPasswordEncrypted = password;
  }
  if (body.schedulesPaused !== undefined && body.schedulesPaused !== current.schedulesPaused) {
    data.schedulesPaused = body.schedulesPaused;
    data.schedulesPausedAt = body.schedulesPaused ? now : null;
    data.schedulesPausedBy = body.schedulesPaused ? principal.username : null;
  }
  if (body.schedule !== undefined || body.scheduleEnabled !== undefined) {
    const schedule = body.schedule === undefined ? storedSchedule(current) : startingNow(body.schedule, now);
    const enabled = body.scheduleEnabled ?? current.scheduleEnabled;
    data.schedule = schedule as Prisma.InputJsonValue;
    data.scheduleEnabled = enabled;
    data.nextSyncAt = enabled ? firstOccurrences(schedule, now, 1)[0]! : null;
  }

  const updated = await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.supSettings.update({ where: { id: 1 }, data });
    // The administrator has seen the product list: what was new is now simply known.
    if (body.products || body.classifications)
      await tx.category.updateMany({ where: { isNew: true }, data: { isNew: false } });
    // The hierarchy's top-level SUP follows the component's sync source.
    if (body.syncSource || body.upstreamUrl !== undefined) {
      await tx.softwareUpdatePoint.updateMany({
        where: { site: { parentCode: null } },
        data: { syncSource: row.syncSource, upstreamUrl: row.upstreamUrl },
      });
    }
    return row;
  });
  const dto = toDto(updated, now);
  audit.after(dto);
  return dto;
}
