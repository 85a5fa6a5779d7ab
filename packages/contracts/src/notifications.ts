// Subscriptions: who hears about failed, stalled and recovered synchronizations, and new products — by email or by
// webhook (a JSON POST signed with HMAC-SHA256 in `X-Syncpoint-Signature: sha256=<hex>`).
import { z } from "zod";
import { withReason } from "./errors.ts";
import { httpOrHttps, withoutCredentials } from "./urls.ts";

export const NOTIFICATION_EVENTS = ["sync-failed", "sync-recovered", "sync-stalled", "new-categories"] as const;
export const NotificationEvent = z.enum(NOTIFICATION_EVENTS);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

export const NotificationKind = z.enum(["email", "webhook"]);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** The JSON a webhook receives (and what an email says in words). */
export const NotificationPayload = z.object({
  id: z.string().uuid(),
  event: NotificationEvent,
  time: z.string().datetime(),
  siteCode: z.string().nullable(),
  title: z.string(),
  message: z.string(),
  alertId: z.string().uuid().nullable(),
  runId: z.string().uuid().nullable(),
  errorCode: z.string().nullable(),
  consoleUrl: z.string().nullable(),
});
export type NotificationPayload = z.infer<typeof NotificationPayload>;

export const NotificationSubscriptionDto = z.object({
  id: z.string().uuid(),
  name: z.string(),
  kind: NotificationKind,
  targets: z.array(z.string()),
  events: z.array(NotificationEvent),
  enabled: z.boolean(),
  /** Webhooks: whether a signing secret is set (the secret itself is never returned). */
  hasSecret: z.boolean(),
  createdAt: z.string().datetime(),
  createdBy: z.string().nullable(),
});
export type NotificationSubscriptionDto = z.infer<typeof NotificationSubscriptionDto>;

const Email = z.string().trim().email("each target is an email address").max(254);
const WebhookUrl = z
  .string()
  .trim()
  .url("the target is an http or https URL")
  .max(2048)
  .superRefine(httpOrHttps("the target is an http or https URL"))
  .refine(
    withoutCredentials,
    withReason(
      "url_has_credentials",
      "the URL must not contain a user name or password (sign deliveries with the secret instead)",
    ),
  );

export const CreateNotificationSubscriptionRequest = z.discriminatedUnion("kind", [
  z
    .object({
      kind: z.literal("email"),
      name: z.string().trim().min(1, "enter a name").max(128),
      targets: z.array(Email).min(1, "add at least one recipient").max(50),
      events: z.array(NotificationEvent).min(1, "choose at least one event"),
      enabled: z.boolean().default(true),
    })
    .strict(),
  z
    .object({
      kind: z.literal("webhook"),
      name: z.string().trim().min(1, "enter a name").max(128),
      targets: z.array(WebhookUrl).length(1, "a webhook has exactly one URL"),
      events: z.array(NotificationEvent).min(1, "choose at least one event"),
      /** The HMAC-SHA256 key the receiver verifies signatures with. */
      secret: z.string().min(16, "the secret has at least 16 characters").max(256).optional(),
      enabled: z.boolean().default(true),
    })
    .strict(),
]);
export type CreateNotificationSubscriptionRequest = z.infer<typeof CreateNotificationSubscriptionRequest>;

export const NotificationSubscriptionList = z.object({ items: z.array(NotificationSubscriptionDto) });

export const NotificationDeliveryState = z.enum(["pending", "delivered", "failed"]);
export type NotificationDeliveryState = z.infer<typeof NotificationDeliveryState>;

/** The outcome of "Send test notification": delivered, or why not. */
export const NotificationTestResult = z.object({
  deliveryId: z.string().uuid(),
  state: NotificationDeliveryState,
  lastError: z.string().nullable(),
});
export type NotificationTestResult = z.infer<typeof NotificationTestResult>;
