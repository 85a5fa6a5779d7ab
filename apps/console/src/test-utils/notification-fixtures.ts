// Notification subscriptions for tests, shaped as GET /api/notification-subscriptions sends them.
import type { NotificationSubscriptionDto } from "@syncpoint/contracts";

export function subscription(
  n: number,
  overrides: Partial<NotificationSubscriptionDto> = {},
): NotificationSubscriptionDto {
  return {
    id: `5b5c0000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    name: `Subscription ${n}`,
    kind: "email",
    targets: ["patch-team@contoso.com"],
    events: ["sync-failed", "sync-recovered"],
    enabled: true,
    hasSecret: false,
    createdAt: `2026-11-2${n}T09:00:00.000Z`,
    createdBy: "admin",
    ...overrides,
  };
}

export const patchTeam = subscription(1, {
  name: "Patch team",
  targets: ["patch-team@contoso.com", "oncall@contoso.com"],
});

export const opsWebhook = subscription(2, {
  name: "Operations channel",
  kind: "webhook",
  targets: ["https://hooks.contoso.com/syncpoint"],
  events: ["sync-failed", "sync-stalled", "new-categories"],
  hasSecret: true,
  createdBy: "mona",
});
