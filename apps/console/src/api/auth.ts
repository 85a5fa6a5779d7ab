import type { ChangePasswordRequest, ConsoleLocale, LoginRequest, Me } from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { api, ApiError } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** The signed-in user, or null when there is no session. */
export async function fetchMe(signal?: AbortSignal): Promise<Me | null> {
  try {
    return await api.get<Me>("/api/auth/me", signal);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({
    queryKey: queryKeys.me(),
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 60_000,
  });
}

/** Everything cached belongs to the session that fetched it; a session change drops it, and `me` becomes `me`. */
function startSession(queryClient: QueryClient, me: Me | null): void {
  const meKey = queryKeys.me();
  queryClient.removeQueries({ predicate: (query) => query.queryKey.join("/") !== meKey.join("/") });
  queryClient.setQueryData(meKey, me);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: LoginRequest) => api.post<Me>("/api/auth/login", credentials),
    onSuccess: (me) => startSession(queryClient, me),
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await api.post<void>("/api/auth/logout");
      } catch (error) {
        // No session left to end: that is what signing out wanted.
        if (!(error instanceof ApiError && error.status === 401)) throw error;
      }
    },
    onSuccess: () => startSession(queryClient, null),
  });
}

/** Ends every session of the signed-in user, this one included; API tokens stay valid. */
export function useLogoutEverywhere() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ sessionsEnded: number }>("/api/auth/logout-everywhere"),
    onSuccess: () => startSession(queryClient, null),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (request: ChangePasswordRequest) => api.post<Me>("/api/auth/change-password", request),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me(), me),
  });
}

/** Remembers the signed-in user's console language on the server (every browser and session then uses it). */
export function useSetLocale() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (locale: ConsoleLocale) => api.put<Me>("/api/auth/locale", { locale }),
    onSuccess: (me) => queryClient.setQueryData(queryKeys.me(), me),
  });
}
