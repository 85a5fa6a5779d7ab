// Notifications go through an outbox: raising one only writes a delivery row per subscription, so that whatever
// raised it never waits on (or fails because of) a mail server or a webhook receiver. Workers then send the rows that
// are due; any number of worker processes may do so at once, since each claims its rows with SKIP LOCKED and holds
// them by a lease (the next attempt time pushed ahead), which also brings a row back if its worker dies mid-send.
import { randomUUID } from "node:crypto";
import type { NotificationDeliveryState, NotificationEvent, NotificationPayload } from "@syncpoint/contracts";
import { Prisma, type NotificationSubscription } from "@syncpoint/db";
import type { AppContext } from "../context.ts";
import { sendEmail } from "./email.ts";
import { sendWebhook } from "./webhook.ts";

/** What the raiser of a notification says; the id, time and event are filled in here. */
export interface NotificationInput {
  title: string;
  message: string;
  siteCode?: string | null;
  alertId?: string | null;
  runId?: string | null;
  errorCode?: string | null;
  consoleUrl?: string | null;
}

export interface DeliveryOutcome {
  id: string;
  subscriptionId: string;
  state: NotificationDeliveryState;
  attempts: number;
  lastError: string | null;
}

/** Rows claimed per round: small enough that one slow receiver holds back few others. */
const BATCH_SIZE = 10;
/** Waiting longer than this between tries only delays the news without making delivery likelier. */
const MAX_RETRY_DELAY_MS = 6 * 60 * 60_000;
const MAX_ERROR_LENGTH = 1_000;

/** The delay before the next try after `failedAttempts` failures: the base, doubled after each further failure. */
export function retryDelayMs(failedAttempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, failedAttempts - 1), MAX_RETRY_DELAY_MS);
}

export function buildPayload(event: NotificationEvent, input: NotificationInput, time: Date): NotificationPayload {
  return {
    id: randomUUID(),
    event,
    time: time.toISOString(),
    siteCode: input.siteCode ?? null,
    title: input.title,
    message: input.message,
    alertId: input.alertId ?? null,
    runId: input.runId ?? null,
    errorCode: input.errorCode ?? null,
    consoleUrl: input.consoleUrl ?? null,
  };
}

export interface EnqueueOptions {
  /** Queue it for this one subscription whatever events it chose (a test notification). */
  subscriptionId?: string;
  /** The notification's time; default: now. */
  now?: Date;
  /** The first attempt is due then; default: `now`. */
  notBefore?: Date;
}

/** Queues `event` for every enabled subscription to it; returns the delivery ids. */
export async function enqueueNotification(
  ctx: AppContext,
  event: NotificationEvent,
  input: NotificationInput,
  options: EnqueueOptions = {},
): Promise<string[]> {
  const now = options.now ?? new Date();
  const nextAttemptAt = options.notBefore ?? now;
  const subscriptions = await ctx.prisma.notificationSubscription.findMany({
    where: options.subscriptionId ? { id: options.subscriptionId } : { enabled: true, events: { has: event } },
    select: { id: true },
  });
  if (subscriptions.length === 0) return [];
  const payload = buildPayload(event, input, now) as Prisma.InputJsonObject;
  const rows = subscriptions.map((s) => ({ id: randomUUID(), subscriptionId: s.id, event, payload, nextAttemptAt }));
  await ctx.prisma.notificationDelivery.createMany({ data: rows });
  return rows.map((r) => r.id);
}

interface ClaimedDelivery {
  id: string;
  subscriptionId: string;
  payload: NotificationPayload;
  /** Including the attempt just claimed. */
  attempts: number;
}

/** A send can take a connection, a greeting and a reply timeout (SMTP); the lease outlasts all three. */
const leaseMs = (ctx: AppContext) => 3 * ctx.config.NOTIFY_TIMEOUT_MS + 30_000;

async function claimDue(ctx: AppContext, now: Date, deliveryId: string | undefined): Promise<ClaimedDelivery[]> {
  const leaseUntil = new Date(now.getTime() + leaseMs(ctx));
  const onlyOne = deliveryId ? Prisma.sql`AND id = ${deliveryId}::uuid` : Prisma.empty;
  return ctx.prisma.$queryRaw<ClaimedDelivery[]>`
    UPDATE notification_deliveries
    SET next_attempt_at = ${leaseUntil}, attempts = attempts + 1
    WHERE id IN (
      SELECT id FROM notification_deliveries
      WHERE state = 'pending' AND next_attempt_at <= ${now} ${onlyOne}
      ORDER BY next_attempt_at
      LIMIT ${BATCH_SIZE}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id::text, subscription_id::text AS "subscriptionId", payload, attempts`;
}

interface Attempt {
  /** What went wrong; null when delivered. */
  error: string | null;
  /** Trying again cannot help: the delivery fails now rather than after its remaining attempts. */
  final?: boolean;
}

async function send(
  ctx: AppContext,
  delivery: ClaimedDelivery,
  subscription: NotificationSubscription | null,
): Promise<Attempt> {
  if (!subscription) return { error: "The subscription no longer exists.", final: true };
  if (!subscription.enabled) return { error: "The subscription is disabled.", final: true };
  try {
    if (subscription.kind === "email") await sendEmail(ctx, subscription, delivery.payload);
    else if (subscription.kind === "webhook") await sendWebhook(ctx, subscription, delivery.payload, delivery.id);
    else return { error: `Unknown subscription kind ${subscription.kind}.`, final: true };
    return { error: null };
  } catch (error) {
    return { error: (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH) };
  }
}

/** Records the outcome of an attempt, unless the row was meanwhile claimed again (our lease ran out). */
async function settle(
  ctx: AppContext,
  delivery: ClaimedDelivery,
  attempt: Attempt,
  now: Date,
): Promise<DeliveryOutcome> {
  const { error } = attempt;
  const giveUp = attempt.final === true || delivery.attempts >= ctx.config.NOTIFY_MAX_ATTEMPTS;
  const data: Prisma.NotificationDeliveryUpdateManyMutationInput =
    error === null
      ? { state: "delivered", deliveredAt: new Date(), lastError: null }
      : giveUp
        ? { state: "failed", lastError: error }
        : {
            lastError: error,
            nextAttemptAt: new Date(now.getTime() + retryDelayMs(delivery.attempts, ctx.config.NOTIFY_RETRY_BASE_MS)),
          };
  await ctx.prisma.notificationDelivery.updateMany({
    where: { id: delivery.id, state: "pending", attempts: delivery.attempts },
    data,
  });
  if (error !== null) {
    ctx.logger.warn(
      { deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, attempt: delivery.attempts, giveUp },
      `notification delivery failed: ${error}`,
    );
  }
  const state: NotificationDeliveryState = error === null ? "delivered" : giveUp ? "failed" : "pending";
  return {
    id: delivery.id,
    subscriptionId: delivery.subscriptionId,
    state,
    attempts: delivery.attempts,
    lastError: error,
  };
}

async function deliverBatch(ctx: AppContext, claimed: ClaimedDelivery[], now: Date): Promise<DeliveryOutcome[]> {
  const subscriptions = await ctx.prisma.notificationSubscription.findMany({
    where: { id: { in: [...new Set(claimed.map((d) => d.subscriptionId))] } },
  });
  const byId = new Map(subscriptions.map((s) => [s.id, s]));
  return Promise.all(
    claimed.map(async (delivery) => {
      const attempt = await send(ctx, delivery, byId.get(delivery.subscriptionId) ?? null);
      return settle(ctx, delivery, attempt, now);
    }),
  );
}

/**
 * Sends every pending delivery due at `now` (or just `deliveryId`): delivered, retried later with backoff, or failed
 * after NOTIFY_MAX_ATTEMPTS. Returns what happened to each delivery this call attempted.
 */
export async function deliverDue(
  ctx: AppContext,
  now: Date = new Date(),
  options: { deliveryId?: string } = {},
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  // Claimed rows are leased past `now`, so each round finds only rows not yet tried in this call.
  for (;;) {
    const claimed = await claimDue(ctx, now, options.deliveryId);
    if (claimed.length === 0) return outcomes;
    outcomes.push(...(await deliverBatch(ctx, claimed, now)));
  }
}

export interface NotificationDispatcher {
  /** Stops polling and waits for the round in progress, if any. */
  stop(): Promise<void>;
}

/** Runs `deliverDue` every NOTIFY_POLL_MS in this process, one round at a time. */
export function startNotificationDispatcher(ctx: AppContext): NotificationDispatcher {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const tick = () => {
    round = deliverDue(ctx)
      .then(
        () => undefined,
        (error: unknown) => ctx.logger.error({ err: error }, "sending notifications failed"),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, ctx.config.NOTIFY_POLL_MS);
      });
  };
  timer = setTimeout(tick, ctx.config.NOTIFY_POLL_MS);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
