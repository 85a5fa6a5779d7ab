// Administration › Notifications: the subscriptions (who is told about failed, recovered and stalled synchronizations
// and new products, by email or webhook), adding and deleting them, and Send test. The mail server they are sent
// through is part of the settings (./settings.ts). No socket event carries subscriptions: this console's own changes
// refresh the list.
import type {
  CreateNotificationSubscriptionRequest,
  NotificationSubscriptionDto,
  NotificationTestResult,
} from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export function useNotificationSubscriptions() {
  return useQuery({
    queryKey: queryKeys.notificationSubscriptions(),
    queryFn: ({ signal }) =>
      api.get<{ items: NotificationSubscriptionDto[] }>("/api/notification-subscriptions", signal),
  });
}

function useInvalidateSubscriptions() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.notificationSubscriptions() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
    ]);
}

export function useCreateNotificationSubscription() {
  const invalidate = useInvalidateSubscriptions();
  return useMutation({
    mutationFn: (request: CreateNotificationSubscriptionRequest) =>
      api.post<NotificationSubscriptionDto>("/api/notification-subscriptions", request),
    onSettled: () => invalidate(),
  });
}

export function useDeleteNotificationSubscription() {
  const invalidate = useInvalidateSubscriptions();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/notification-subscriptions/${encodeURIComponent(id)}`),
    // A 404 means someone else deleted it first: the refetch takes it out of the list either way.
    onSettled: () => invalidate(),
  });
}

/** Sends one test notification now; the answer says whether it was delivered (the server tries once, not later). */
export function useTestNotificationSubscription() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<NotificationTestResult>(`/api/notification-subscriptions/${encodeURIComponent(id)}/test`, {}),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
  });
}
