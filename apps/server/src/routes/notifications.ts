import {
  CreateNotificationSubscriptionRequest,
  IdParams,
  NotificationSubscriptionDto,
  NotificationSubscriptionList,
  NotificationTestResult,
} from "@syncpoint/contracts";
import { defineRoute } from "../http/route.ts";
import {
  createSubscription,
  deleteSubscription,
  listSubscriptions,
  testSubscription,
} from "../services/notification-subscriptions.ts";

const TARGET = "notification-subscription";

export const notificationRoutes = [
  defineRoute({
    method: "get",
    path: "/notification-subscriptions",
    access: "read",
    summary: "Notification subscriptions: who is told about which sync events, by email or webhook.",
    response: NotificationSubscriptionList,
    handler: async ({ ctx }) => ({ body: await listSubscriptions(ctx) }),
  }),
  defineRoute({
    method: "post",
    path: "/notification-subscriptions",
    access: "settings.edit",
    audit: { action: "notification-subscription.create" },
    summary: "Subscribe email recipients or a webhook to sync events; a webhook secret is stored encrypted.",
    body: CreateNotificationSubscriptionRequest,
    response: NotificationSubscriptionDto,
    handler: async ({ ctx, body, principal, audit }) => {
      const created = await createSubscription(ctx, body, principal!.username);
      audit.target(TARGET, created.id).after(created);
      return { status: 201, body: created };
    },
  }),
  defineRoute({
    method: "delete",
    path: "/notification-subscriptions/:id",
    access: "settings.edit",
    audit: { action: "notification-subscription.delete" },
    summary: "Delete a subscription; deliveries not yet sent are dropped with it.",
    params: IdParams,
    handler: async ({ ctx, params, audit }) => {
      audit.target(TARGET, params.id);
      audit.before(await deleteSubscription(ctx, params.id));
      return undefined;
    },
  }),
  defineRoute({
    method: "post",
    path: "/notification-subscriptions/:id/test",
    access: "settings.edit",
    audit: { action: "notification-subscription.test" },
    summary: "Send a test notification to this subscription now and say whether it was delivered, or why not.",
    params: IdParams,
    response: NotificationTestResult,
    handler: async ({ ctx, params, principal, audit }) => {
      audit.target(TARGET, params.id);
      const result = await testSubscription(ctx, params.id, principal!.username);
      audit.details(result);
      return { body: result };
    },
  }),
];
