import type { OpenApiDocument } from "@syncpoint/contracts";
import { useQuery } from "@tanstack/react-query";
import { api } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** Where the server serves its OpenAPI 3.1 document (public: the API's shape, no data). */
export const OPENAPI_URL = "/api/openapi.json";

/** The API's OpenAPI document; it changes only with the server's version, so it is fetched once per session. */
export function useOpenApiDocument() {
  return useQuery({
    queryKey: queryKeys.openApi(),
    queryFn: ({ signal }) => api.get<OpenApiDocument>(OPENAPI_URL, signal),
    staleTime: Infinity,
  });
}
