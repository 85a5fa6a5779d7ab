import type { SyncSource as SyncSourceName } from "@syncpoint/contracts";
import { SyncSource } from "@syncpoint/db";

const TO_NAME: Record<SyncSource, SyncSourceName> = {
  [SyncSource.microsoft_update]: "microsoft-update",
  [SyncSource.upstream_url]: "upstream-url",
  [SyncSource.parent]: "parent",
  [SyncSource.disconnected]: "disconnected",
};

export function syncSourceName(source: SyncSource): SyncSourceName {
  return TO_NAME[source];
}
