import { QueryClient } from "@tanstack/react-query";
import { ApiError, onPasswordChangeRequired, onUnauthorized } from "./client.ts";
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
 * re-ask "who am I?"; the answer (null) sends the console back to the login page. A 403 PASSWORD_CHANGE_REQUIRED
 * (the password was reset meanwhile) re-asks too; the answer (`mustChangePassword`) leads to the change-password page.
 */
export function connectSessionExpiry(queryClient: QueryClient): () => void {
  const refreshMe = () => void queryClient.invalidateQueries({ queryKey: queryKeys.me() });
  const unsubscribeUnauthorized = onUnauthorized(refreshMe);
  const unsubscribePasswordChange = onPasswordChangeRequired(refreshMe);
  return () => {
    unsubscribeUnauthorized();
    unsubscribePasswordChange();
  };
}
