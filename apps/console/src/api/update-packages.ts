// Software Library › Update Packages: the packages uploaded to a disconnected top-level site, the upload itself (the
// file as the request body, with progress), applying one and removing one. The export is a plain download link.
import type { ApplyUpdatePackageResponse, UpdatePackageDto, UpdatePackagePage } from "@syncpoint/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, ApiError, errorFromResponse } from "./client.ts";
import { queryKeys } from "./query-keys.ts";

/** Where the browser downloads a site's catalog as an update package (the server names the file). */
export const updatePackageDownloadUrl = (siteCode: string) =>
  `/api/sites/${encodeURIComponent(siteCode)}/update-package`;

/** The uploaded packages; polled while one of them is being applied, so its state follows the run. */
export function useUpdatePackages(page: number, pageSize: number) {
  return useQuery({
    queryKey: queryKeys.updatePackagesPage(page, pageSize),
    queryFn: ({ signal }) =>
      api.get<UpdatePackagePage>(`/api/update-packages?page=${page}&pageSize=${pageSize}`, signal),
    refetchInterval: (query) =>
      query.state.data?.items.some((p) => p.lastRun && ["queued", "running", "canceling"].includes(p.lastRun.state))
        ? 2_000
        : false,
  });
}

function useInvalidatePackages() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.updatePackages() }),
      // The top-level site's catalog version (the tree shows it) changes with an applied package.
      queryClient.invalidateQueries({ queryKey: queryKeys.sites() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.syncRunLists() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.audit() }),
    ]);
}

export interface UploadProgress {
  sent: number;
  total: number;
}

/**
 * POST /api/update-packages with the file as the body. XMLHttpRequest, not fetch: only it reports upload progress.
 * Resolves with the verified package; rejects with the server's ApiError (PACKAGE_CORRUPT, …), or an AbortError.
 */
export function uploadUpdatePackage(
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal: AbortSignal,
): Promise<UpdatePackageDto> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", `/api/update-packages?fileName=${encodeURIComponent(file.name)}`);
    request.setRequestHeader("Content-Type", "application/gzip");
    request.setRequestHeader("Accept", "application/json");
    request.upload.onprogress = (event) => onProgress({ sent: event.loaded, total: event.total || file.size });
    request.onload = () => {
      const response = new Response(request.status === 204 ? null : request.responseText, {
        status: request.status,
        headers: { "content-type": request.getResponseHeader("content-type") ?? "" },
      });
      if (!response.ok) {
        void errorFromResponse(response).then(reject, reject);
        return;
      }
      response
        .json()
        .then(resolve, () =>
          reject(
            new ApiError(request.status, "BAD_RESPONSE", "POST /api/update-packages: the response is not valid JSON"),
          ),
        );
    };
    request.onerror = () =>
      reject(new ApiError(0, "NETWORK_ERROR", "POST /api/update-packages: no response (the connection failed)"));
    request.onabort = () => reject(new DOMException("The upload was canceled.", "AbortError"));
    signal.addEventListener("abort", () => request.abort(), { once: true });
    request.send(file);
  });
}

/** The upload as a mutation: the list shows the new package once it is stored. */
export function useUploadUpdatePackage() {
  const invalidate = useInvalidatePackages();
  return useMutation({
    mutationFn: (input: { file: File; onProgress: (progress: UploadProgress) => void; signal: AbortSignal }) =>
      uploadUpdatePackage(input.file, input.onProgress, input.signal),
    onSettled: () => invalidate(),
  });
}

/** POST /api/update-packages/:id/apply: a run (trigger `import`) applies the package. */
export function useApplyUpdatePackage() {
  const invalidate = useInvalidatePackages();
  return useMutation({
    mutationFn: (id: string) =>
      api.post<ApplyUpdatePackageResponse>(`/api/update-packages/${encodeURIComponent(id)}/apply`),
    onSettled: () => invalidate(),
  });
}

/** DELETE /api/update-packages/:id: the package and its file. */
export function useRemoveUpdatePackage() {
  const invalidate = useInvalidatePackages();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/update-packages/${encodeURIComponent(id)}`),
    onSettled: () => invalidate(),
  });
}

/** After a run applying a package ends: the list shows the package applied. */
export function useRefreshUpdatePackages() {
  return useInvalidatePackages();
}
