// Notification subscriptions: who is told about failed, stalled and recovered synchronizations and new products, by
// email or webhook. A webhook's signing secret is stored encrypted and never leaves the server again: callers see only
// whether one is set.
import type {
  CreateNotificationSubscriptionRequest,
  NotificationEvent,
  NotificationKind,
  NotificationSubscriptionDto,
  NotificationTestResult,
} from "@syncpoint/contracts";
import type { NotificationSubscription } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { notFound } from "../http/errors.ts";
import { deliverDue, enqueueNotification } from "../notifications/dispatch.ts";

export const TEST_NOTIFICATION_TITLE = "Test notification from Syncpoint";
const TEST_HOLD_MS = 60_000;

export function toSubscriptionDto(row: NotificationSubscription): NotificationSubscriptionDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as NotificationKind,
    targets: row.targets,
    events: row.events as NotificationEvent[],
    enabled: row.enabled,
    hasSecret: row.secretEncrypted !== null,
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy,
  };
}

export async function listSubscriptions(ctx: AppContext): Promise<{ items: NotificationSubscriptionDto[] }> {
  const rows = await ctx.prisma.notificationSubscription.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return { items: rows.map(toSubscriptionDto) };
}

export async function createSubscription(
  ctx: AppContext,
  request: CreateNotificationSubscriptionRequest,
  createdBy: string,
): Promise<NotificationSubscriptionDto> {
  const secret = request.kind === "webhook" ? request.secret : undefined;
  const row = await ctx.prisma.notificationSubscription.create({
    data: {
      name: request.name,
      kind: request.kind,
      targets: request.targets,
      events: [...new Set(request.events)],
      enabled: request.enabled,
      secretEncrypted: secret ? ctx.secrets.encrypt(secret) : null,
      createdBy,
    },
  });
  return toSubscriptionDto(row);
}

async function findSubscription(ctx: AppContext, id: string): Promise<NotificationSubscription> {
  const row = await ctx.prisma.notificationSubscription.findUnique({ where: { id } });
  if (!row) throw notFound(`Notification subscription ${id}`);
  return row;
}

/** Deletes the subscription and, with it, its deliveries (sent or not); returns what it was. */
export async function deleteSubscription(ctx: AppContext, id: string): Promise<NotificationSubscriptionDto> {
  const row = await findSubscription(ctx, id);
  await ctx.prisma.notificationSubscription.delete({ where: { id } });
  return toSubscriptionDto(row);
}

/**
 * Sends a test notification to this subscription alone and reports how it went. It is tried once: the administrator
 * is waiting for the answer, and a retry minutes later would only surprise them.
 */
export async function testSubscription(
  ctx: AppContext,
  id: string,
  requestedBy: string,
): Promise<NotificationTestResult> {
  const subscription = await findSubscription(ctx, id);
  const now = new Date();
  // Due in the future, so only this call sends it: a dispatcher polling meanwhile must not take the delivery whose
  // outcome we answer with. Should this process die first, a dispatcher sends it once that time comes.
  const heldUntil = new Date(now.getTime() + TEST_HOLD_MS);
  const [deliveryId] = await enqueueNotification(
    ctx,
    "sync-recovered",
    {
      title: TEST_NOTIFICATION_TITLE,
      message: `${requestedBy} sent this to check the subscription "${subscription.name}". No action is needed.`,
    },
    { subscriptionId: id, now, notBefore: heldUntil },
  );
  if (!deliveryId) throw notFound(`Notification subscription ${id}`);
  const [outcome] = await deliverDue(ctx, heldUntil, { deliveryId });
  if (!outcome) throw new Error(`test delivery ${deliveryId} was not attempted`);
  if (outcome.state === "pending") {
    await ctx.prisma.notificationDelivery.updateMany({
      where: { id: deliveryId, state: "pending", attempts: outcome.attempts },
      data: { state: "failed" },
    });
  }
  return { deliveryId, state: outcome.state === "pending" ? "failed" : outcome.state, lastError: outcome.lastError };
}
