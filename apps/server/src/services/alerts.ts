// Alerts: raised by conditions (a failed sync, new products or classifications), updated while the condition holds,
// canceled when it clears, acknowledged by an administrator. Every change goes out as an `alert` socket event.
import type { AlertDto, AlertSeverity, AlertsQuery, AlertType, Page } from "@syncpoint/contracts";
import type { Alert, Prisma } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { HttpError, notFound } from "../http/errors.ts";

export interface AlertCondition {
  /** Identifies the condition: one open alert per key. */
  key: string;
  type: AlertType;
  severity: AlertSeverity;
  siteCode?: string;
  title: string;
  message: string;
  details?: Prisma.InputJsonValue;
}

/** The open (active or acknowledged) alert of a condition, if there is one. */
export function findOpenAlert(ctx: AppContext, key: string): Promise<Alert | null> {
  return ctx.prisma.alert.findFirst({ where: { key, state: { in: ["active", "acknowledged"] } } });
}

/**
 * Raises the alert of a condition, or updates the open one (an acknowledged alert raised again with something new
 * to say becomes active again).
 */
export async function raiseAlert(ctx: AppContext, condition: AlertCondition): Promise<AlertDto> {
  const data = {
    type: condition.type,
    severity: condition.severity,
    siteCode: condition.siteCode ?? null,
    title: condition.title,
    message: condition.message,
    ...(condition.details === undefined ? {} : { details: condition.details }),
  };
  const open = await findOpenAlert(ctx, condition.key);
  const row = open
    ? await ctx.prisma.alert.update({
        where: { id: open.id },
        data: { ...data, state: "active", updatedAt: new Date(), acknowledgedAt: null, acknowledgedBy: null },
      })
    : await ctx.prisma.alert.create({ data: { key: condition.key, ...data } });
  const dto = toAlertDto(row);
  await ctx.events.alert(dto);
  return dto;
}

/** The open alerts of these conditions, by key (one read for several: every run's end asks about two). */
export async function findOpenAlerts(ctx: AppContext, keys: string[]): Promise<Map<string, Alert>> {
  const rows = await ctx.prisma.alert.findMany({
    where: { key: { in: keys }, state: { in: ["active", "acknowledged"] } },
  });
  return new Map(rows.map((row) => [row.key, row]));
}

/**
 * The condition has cleared: its open alert, if any, is canceled. `open`: the open alert as the caller just read it
 * (findOpenAlerts), or null for none, instead of reading it here.
 */
export async function cancelAlert(ctx: AppContext, key: string, open?: Alert | null): Promise<AlertDto | undefined> {
  if (open === undefined) open = await findOpenAlert(ctx, key);
  if (!open) return undefined;
  const row = await ctx.prisma.alert.update({
    where: { id: open.id },
    data: { state: "canceled", canceledAt: new Date(), updatedAt: new Date() },
  });
  const dto = toAlertDto(row);
  await ctx.events.alert(dto);
  return dto;
}

export async function acknowledgeAlert(
  ctx: AppContext,
  id: string,
  username: string,
): Promise<{ before: AlertDto; after: AlertDto }> {
  const row = await ctx.prisma.alert.findUnique({ where: { id } });
  if (!row) throw notFound(`Alert ${id}`);
  if (row.state !== "active") {
    throw new HttpError(
      409,
      "ALERT_NOT_ACTIVE",
      `The alert is ${row.state}; only an active alert can be acknowledged.`,
    );
  }
  const updated = await ctx.prisma.alert.update({
    where: { id },
    data: { state: "acknowledged", acknowledgedAt: new Date(), acknowledgedBy: username, updatedAt: new Date() },
  });
  const after = toAlertDto(updated);
  await ctx.events.alert(after);
  return { before: toAlertDto(row), after };
}

export async function listAlerts(ctx: AppContext, query: AlertsQuery): Promise<Page<AlertDto>> {
  const where: Prisma.AlertWhereInput = {
    ...(query.state ? { state: query.state } : {}),
    ...(query.type ? { type: query.type } : {}),
    ...(query.site ? { siteCode: query.site.toUpperCase() } : {}),
  };
  const descending = query.sort.startsWith("-");
  const column = query.sort.replace(/^-/, "") as "raisedAt" | "updatedAt";
  const [total, rows] = await ctx.prisma.$transaction([
    ctx.prisma.alert.count({ where }),
    ctx.prisma.alert.findMany({
      where,
      orderBy: [{ [column]: descending ? "desc" : "asc" }, { id: "asc" }],
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: rows.map(toAlertDto), total, page: query.page, pageSize: query.pageSize };
}

export function toAlertDto(row: Alert): AlertDto {
  return {
    id: row.id,
    type: row.type as AlertType,
    severity: row.severity as AlertSeverity,
    state: row.state,
    siteCode: row.siteCode,
    title: row.title,
    message: row.message,
    details: row.details ?? null,
    raisedAt: row.raisedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: row.acknowledgedBy,
    canceledAt: row.canceledAt?.toISOString() ?? null,
  };
}
