// Software Library › Import Updates: the catalog search, the import of a basket and the list of imported updates.
import type {
  CatalogSearchResponse,
  ImportedUpdatePage,
  ImportUpdatesRequest,
  ImportUpdatesResponse,
} from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** GET /api/catalog/search?q=: the upstream's catalog, catalog-only updates included. Nothing until there is a query. */
export function useCatalogSearch(q: string) {
  return useQuery({
    queryKey: queryKeys.catalogSearch(q),
    queryFn: ({ signal }) => api.get<CatalogSearchResponse>(`/api/catalog/search?q=${encodeURIComponent(q)}`, signal),
    enabled: q.trim().length > 0,
    // A search answers for the moment it was made; asking again is the user's call (or an import ending).
    staleTime: Infinity,
    retry: false,
  });
}

/** The imported updates; polled while any is still pending, so the result of each appears as its run ends. */
export function useImportedUpdates(page: number, pageSize: number) {
  return useQuery({
    queryKey: queryKeys.importedUpdatesPage(page, pageSize),
    queryFn: ({ signal }) =>
      api.get<ImportedUpdatePage>(`/api/imported-updates?page=${page}&pageSize=${pageSize}`, signal),
    refetchInterval: (query) => (query.state.data?.items.some((i) => i.state === "pending") ? 2_000 : false),
  });
}

function useInvalidateImports() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.importedUpdates() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.catalogSearches() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.syncRunLists() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
    ]);
}

/** POST /api/imported-updates: the basket, imported by a run with trigger `import` (or the active run's successor). */
export function useImportUpdates() {
  const invalidate = useInvalidateImports();
  return useMutation({
    mutationFn: (request: ImportUpdatesRequest) => api.post<ImportUpdatesResponse>("/api/imported-updates", request),
    onSettled: () => invalidate(),
  });
}

/** DELETE /api/imported-updates/:updateId: stop following an imported update. */
export function useRemoveImportedUpdate() {
  const invalidate = useInvalidateImports();
  return useMutation({
    mutationFn: (updateId: string) => api.delete<void>(`/api/imported-updates/${encodeURIComponent(updateId)}`),
    onSettled: () => invalidate(),
  });
}

/** After an import run ends: the imported list and the searches show the result. */
export function useRefreshImports() {
  return useInvalidateImports();
}
