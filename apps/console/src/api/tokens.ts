import type { ApiTokenList, ApiTokenSummary, CreateApiTokenRequest, CreatedApiToken } from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** The signed-in user's API tokens; a user manager gets everyone's. */
export function useTokens() {
  return useQuery({
    queryKey: queryKeys.tokens(),
    queryFn: ({ signal }) => api.get<ApiTokenList>("/api/tokens", signal),
  });
}

function useInvalidateTokens() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.tokens() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
    ]);
}

export function useCreateToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (request: CreateApiTokenRequest) => api.post<CreatedApiToken>("/api/tokens", request),
    onSettled: () => invalidate(),
  });
}

export function useRevokeToken() {
  const invalidate = useInvalidateTokens();
  return useMutation({
    mutationFn: (id: string) => api.delete<ApiTokenSummary>(`/api/tokens/${encodeURIComponent(id)}`),
    onSettled: () => invalidate(),
  });
}
