import type { CategoryDto, CreateSiteInput, SiteDto, SiteTree, UpdateSiteRequest } from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export function useSites() {
  return useQuery({
    queryKey: queryKeys.sites(),
    queryFn: ({ signal }) => api.get<SiteTree>("/api/sites", signal),
  });
}

/** After any change to the hierarchy: the tree again, and the audit records the change wrote. */
function useSiteMutation<TVariables>(mutationFn: (variables: TVariables) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.sites() }),
        queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
      ]);
    },
  });
}

/** POST /api/sites: a primary under the central site or a secondary under a primary. */
export function useCreateSite() {
  return useSiteMutation((request: CreateSiteInput) => api.post<SiteDto>("/api/sites", request));
}

/** PATCH /api/sites/:code: the name and the software update point's server, ports and SSL. */
export function useUpdateSite() {
  return useSiteMutation(({ code, request }: { code: string; request: UpdateSiteRequest }) =>
    api.patch<SiteDto>(`/api/sites/${encodeURIComponent(code)}`, request),
  );
}

/** DELETE /api/sites/:code; 409 SITE_HAS_CHILDREN, TOP_LEVEL_SITE or SYNC_ALREADY_ACTIVE when it cannot go. */
export function useDeleteSite() {
  return useSiteMutation((code: string) => api.delete<unknown>(`/api/sites/${encodeURIComponent(code)}`));
}

/** The catalog's products or classifications, for the Software Update Point Component Properties. */
export function useCategories(type: "product" | "classification") {
  return useQuery({
    queryKey: ["categories", type] as const,
    queryFn: ({ signal }) => api.get<{ items: CategoryDto[] }>(`/api/categories?type=${type}`, signal),
  });
}
