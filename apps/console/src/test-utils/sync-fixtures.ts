// Synchronization data for tests, shaped as the API sends it.
import type { SoftwareUpdateItem, SupSyncStatusRow, SyncRunDto } from "@syncpoint/contracts";

export const RUN_ID = "3f2b9c1e-8a4d-4e2f-9b1a-0c5d7e6f8a90";
export const OTHER_RUN_ID = "7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6";

export function statusRow(overrides: Partial<SupSyncStatusRow> = {}): SupSyncStatusRow {
  return {
    siteCode: "CAS",
    parentCode: null,
    supServer: "cas-sup01.corp.contoso.com",
    syncSource: "upstream-url",
    syncSourceUrl: "http://upstream.test:8530",
    state: "never",
    phase: null,
    percent: 0,
    processed: 0,
    total: 0,
    etaSeconds: null,
    waitingReason: null,
    runId: null,
    lastSyncStateId: null,
    lastSyncTime: null,
    lastSuccessfulSyncTime: null,
    lastErrorCode: null,
    catalogVersion: 0,
    linkState: "healthy",
    retryAt: null,
    ...overrides,
  };
}

export function syncRun(overrides: Partial<SyncRunDto> = {}): SyncRunDto {
  return {
    id: RUN_ID,
    siteCode: "CAS",
    supServer: "cas-sup01.corp.contoso.com",
    trigger: "manual",
    fullSync: false,
    state: "running",
    phase: "updates",
    percent: 40,
    processed: 120,
    total: 300,
    etaSeconds: 95,
    waitingReason: null,
    counts: { new: 0, revised: 0, expired: 0, superseded: 0, removed: 0 },
    errorCode: null,
    errorMessage: null,
    requestedBy: "admin",
    catalogVersionBefore: 0,
    catalogVersionAfter: null,
    queuedAt: "2025-05-01T10:00:00.000Z",
    startedAt: "2025-05-01T10:00:01.000Z",
    finishedAt: null,
    ...overrides,
  };
}

export function softwareUpdate(n: number, overrides: Partial<SoftwareUpdateItem> = {}): SoftwareUpdateItem {
  return {
    updateId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    revisionNumber: 200 + n,
    title: `2025-05 Cumulative Update ${n} for Windows 11 Version 24H2 for x64-based Systems (KB50${String(n).padStart(5, "0")})`,
    kbArticleIds: [`50${String(n).padStart(5, "0")}`],
    bulletinIds: [],
    cveIds: [],
    severity: "Important",
    classifications: [{ id: "0fa1201d-4330-4fa8-8ae9-b877473b6441", title: "Security Updates" }],
    products: [{ id: "72e7624a-5b00-45d2-b92f-e561c0a6a160", title: "Windows 11" }],
    releaseDate: "2025-05-13T17:00:00.000Z",
    isExpired: false,
    isSuperseded: false,
    maxRunTimeMinutes: 60,
    ...overrides,
  };
}
