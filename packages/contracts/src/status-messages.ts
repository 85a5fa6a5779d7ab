// Status message IDs of component SMS_WSUS_SYNC_MANAGER (domain.md §4). 6702–6708 are SMS_SUPSyncStatus.LastSyncState values.

export const SYNC_MANAGER_COMPONENT = "SMS_WSUS_SYNC_MANAGER";

export const STATUS_MESSAGES = {
  6700: { severity: "error", text: "WSUS Sync Manager error." },
  6701: { severity: "info", text: "WSUS synchronization started." },
  6702: { severity: "info", text: "WSUS synchronization done." },
  6703: { severity: "error", text: "WSUS synchronization failed." },
  6704: { severity: "info", text: "WSUS synchronization in progress. Current phase: Synchronizing WSUS Server." },
  6705: { severity: "info", text: "WSUS synchronization in progress. Current phase: Synchronizing site database." },
  6706: {
    severity: "info",
    text: "WSUS synchronization in progress. Current phase: Synchronizing replica WSUS servers.",
  },
  6707: { severity: "warning", text: "WSUS server content is out of sync with its upstream server." },
  6708: { severity: "warning", text: "WSUS synchronization complete, with pending license terms downloads." },
  // Syncpoint's own, beyond ConfigMgr's range of sync states:
  6712: {
    severity: "warning",
    text: "The upstream server rejected the synchronization anchor; a full synchronization is performed instead.",
  },
  6713: {
    severity: "error",
    text: "An update record from the upstream server could not be read and was skipped.",
  },
} as const satisfies Record<number, { severity: "info" | "warning" | "error"; text: string }>;

export type StatusMessageId = keyof typeof STATUS_MESSAGES;
