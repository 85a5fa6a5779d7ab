// The Software Update Point Component Properties (GET/PUT /api/sup-settings) and Test connection. No socket event
// carries settings, so the query refreshes on its own now and then: another administrator may pause the schedules.
import type {
  SchedulePreview,
  SupSettingsDto,
  SyncSchedule,
  TestConnectionResult,
  UpdateSupSettingsRequest,
} from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export function useSupSettings({ poll = false }: { poll?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.supSettings(),
    queryFn: ({ signal }) => api.get<SupSettingsDto>("/api/sup-settings", signal),
    // The banner polls: it is on every page, and a pause made elsewhere should show up without a reload.
    refetchInterval: poll ? 60_000 : false,
  });
}

/** PUT /api/sup-settings with the changed fields only; the answer is the new settings, cached as they are. */
export function useUpdateSupSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: UpdateSupSettingsRequest) => api.put<SupSettingsDto>("/api/sup-settings", request),
    // The answer is the settings as stored now (next run times included): no need to ask again.
    onSuccess: (settings) => queryClient.setQueryData(queryKeys.supSettings(), settings),
    // A refusal may come from settings changed meanwhile by someone else: show what is stored.
    onError: () => queryClient.invalidateQueries({ queryKey: queryKeys.supSettings() }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
  });
}

export function useTestConnection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<TestConnectionResult>("/api/sup-settings/test-connection"),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
  });
}

/**
 * GET /api/sup-settings/schedule-preview: the next `count` times of a schedule not saved yet, as saving it now would
 * give them. Off (no request) while `schedule` is null.
 */
export function useSchedulePreview(schedule: SyncSchedule | null, count: number) {
  const json = schedule ? JSON.stringify(schedule) : "";
  return useQuery({
    queryKey: queryKeys.schedulePreview(json, count),
    queryFn: ({ signal }) =>
      api.get<SchedulePreview>(
        `/api/sup-settings/schedule-preview?schedule=${encodeURIComponent(json)}&count=${count}`,
        signal,
      ),
    enabled: schedule !== null,
    // "Now" moves on: a simple schedule's times count from it.
    staleTime: 60_000,
  });
}
