import { QueryClient } from "@tanstack/react-query";
import { ApiError, onUnauthorized } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** Retries only what a retry can fix: no response, or a server-side failure. A 4xx will answer the same again. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (failureCount >= 2) return false;
  return !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}

/**
 * A 401 on any call but login and me means the session ended (expired, signed out elsewhere, password changed):
 * re-ask "who am I?"; the answer (null) sends the console back to the login page.
 */
export function connectSessionExpiry(queryClient: QueryClient): () => void {
  return onUnauthorized(() => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.me() });
  });
}
