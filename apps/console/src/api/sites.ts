import type { SiteTree } from "@syncpoint/contracts";
import { useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

export function useSites() {
  return useQuery({
    queryKey: queryKeys.sites(),
    queryFn: ({ signal }) => api.get<SiteTree>("/api/sites", signal),
  });
}
