import type {
  CreatedUser,
  CreateUserRequest,
  PasswordReset,
  RoleName,
  UserList,
  UserSummary,
} from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export function useUsers() {
  return useQuery({
    queryKey: queryKeys.users(),
    queryFn: ({ signal }) => api.get<UserList>("/api/users", signal),
  });
}

/** After any change to users: the list, and the audit trail that recorded it (tokens go with a deleted user). */
function useInvalidateUsers() {
  const queryClient = useQueryClient();
  return (alsoTokens = false) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.users() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
      alsoTokens ? queryClient.invalidateQueries({ queryKey: queryKeys.tokens() }) : undefined,
    ]);
}

export function useCreateUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (request: CreateUserRequest) => api.post<CreatedUser>("/api/users", request),
    onSettled: () => invalidate(),
  });
}

export function useChangeUserRole() {
  const invalidate = useInvalidateUsers();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: RoleName }) =>
      api.patch<UserSummary>(`/api/users/${encodeURIComponent(id)}`, { role }),
    // The changed user may be the signed-in one: their permissions, and so the enabled actions, change too.
    onSettled: () => Promise.all([invalidate(), queryClient.invalidateQueries({ queryKey: queryKeys.me() })]),
  });
}

export function useResetPassword() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => api.post<PasswordReset>(`/api/users/${encodeURIComponent(id)}/reset-password`),
    onSettled: () => invalidate(),
  });
}

export function useDeleteUser() {
  const invalidate = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/users/${encodeURIComponent(id)}`),
    onSettled: () => invalidate(true),
  });
}
