// Console labels for the synchronization vocabulary (states, phases, triggers, status message IDs, error codes). Apart
// from labels.ts so that they load with the pages that use them, not with the initial bundle. Each value maps to a
// static key so that the key check sees every key.
import type {
  ErrorCode,
  LinkState,
  RunPhase,
  RunTrigger,
  StatusMessageDto,
  StatusMessageId,
  SupState,
  WaitingReason,
} from "@syncpoint/contracts";
import type { TFunction } from "i18next";

/** Synchronization Status, as Monitoring shows it: Completed, Failed, … and "Never synchronized" before a first run. */
export function syncStateLabel(t: TFunction, state: SupState): string {
  switch (state) {
    case "queued":
      return t("sync.states.queued");
    case "running":
      return t("sync.states.running");
    case "canceling":
      return t("sync.states.canceling");
    case "succeeded":
      return t("sync.states.succeeded");
    case "failed":
      return t("sync.states.failed");
    case "canceled":
      return t("sync.states.canceled");
    case "never":
      return t("sync.states.never");
  }
}

export function runPhaseLabel(t: TFunction, phase: RunPhase): string {
  switch (phase) {
    case "authorize":
      return t("sync.phases.authorize");
    case "config":
      return t("sync.phases.config");
    case "categories":
      return t("sync.phases.categories");
    case "revisions":
      return t("sync.phases.revisions");
    case "updates":
      return t("sync.phases.updates");
    case "apply":
      return t("sync.phases.apply");
    case "supersedence":
      return t("sync.phases.supersedence");
    case "commit":
      return t("sync.phases.commit");
    case "notify":
      return t("sync.phases.notify");
  }
}

export function runTriggerLabel(t: TFunction, trigger: RunTrigger): string {
  switch (trigger) {
    case "schedule":
      return t("sync.triggers.schedule");
    case "manual":
      return t("sync.triggers.manual");
    case "parent":
      return t("sync.triggers.parent");
    case "retry":
      return t("sync.triggers.retry");
    case "import":
      return t("sync.triggers.import");
  }
}

export function linkStateLabel(t: TFunction, state: LinkState): string {
  switch (state) {
    case "healthy":
      return t("sync.linkStates.healthy");
    case "degraded":
      return t("sync.linkStates.degraded");
    case "error":
      return t("sync.linkStates.error");
  }
}

export function statusSeverityLabel(t: TFunction, severity: StatusMessageDto["severity"]): string {
  switch (severity) {
    case "I":
      return t("sync.statusSeverity.information");
    case "W":
      return t("sync.statusSeverity.warning");
    case "E":
      return t("sync.statusSeverity.error");
  }
}

/** What a status message ID of SMS_WSUS_SYNC_MANAGER means (the contracts' STATUS_MESSAGES, translated). */
export function statusMessageText(t: TFunction, id: number): string | undefined {
  switch (id as StatusMessageId) {
    case 6700:
      return t("sync.statusIds.6700");
    case 6701:
      return t("sync.statusIds.6701");
    case 6702:
      return t("sync.statusIds.6702");
    case 6703:
      return t("sync.statusIds.6703");
    case 6704:
      return t("sync.statusIds.6704");
    case 6705:
      return t("sync.statusIds.6705");
    case 6706:
      return t("sync.statusIds.6706");
    case 6707:
      return t("sync.statusIds.6707");
    case 6708:
      return t("sync.statusIds.6708");
    case 6712:
      return t("sync.statusIds.6712");
    case 6713:
      return t("sync.statusIds.6713");
    default:
      return undefined;
  }
}

/** What an error code means (the contracts' ERROR_CODES, translated); undefined for a code this console does not know. */
export function errorCodeMeaning(t: TFunction, code: string): string | undefined {
  switch (code as ErrorCode) {
    case "VALIDATION_FAILED":
      return t("errorCodes.VALIDATION_FAILED");
    case "UNAUTHENTICATED":
      return t("errorCodes.UNAUTHENTICATED");
    case "INVALID_CREDENTIALS":
      return t("errorCodes.INVALID_CREDENTIALS");
    case "LOGIN_LOCKED":
      return t("errorCodes.LOGIN_LOCKED");
    case "PASSWORD_CHANGE_REQUIRED":
      return t("errorCodes.PASSWORD_CHANGE_REQUIRED");
    case "INVALID_TOKEN":
      return t("errorCodes.INVALID_TOKEN");
    case "FORBIDDEN":
      return t("errorCodes.FORBIDDEN");
    case "NOT_FOUND":
      return t("errorCodes.NOT_FOUND");
    case "USERNAME_TAKEN":
      return t("errorCodes.USERNAME_TAKEN");
    case "LAST_ADMINISTRATOR":
      return t("errorCodes.LAST_ADMINISTRATOR");
    case "CANNOT_DELETE_SELF":
      return t("errorCodes.CANNOT_DELETE_SELF");
    case "UNSUPPORTED_MEDIA_TYPE":
      return t("errorCodes.UNSUPPORTED_MEDIA_TYPE");
    case "PAYLOAD_TOO_LARGE":
      return t("errorCodes.PAYLOAD_TOO_LARGE");
    case "BAD_REQUEST":
      return t("errorCodes.BAD_REQUEST");
    case "METHOD_NOT_ALLOWED":
      return t("errorCodes.METHOD_NOT_ALLOWED");
    case "SYNC_ALREADY_ACTIVE":
      return t("errorCodes.SYNC_ALREADY_ACTIVE");
    case "SYNC_SOURCE_DISCONNECTED":
      return t("errorCodes.SYNC_SOURCE_DISCONNECTED");
    case "SERVICE_UNAVAILABLE":
      return t("errorCodes.SERVICE_UNAVAILABLE");
    case "NOT_TOP_LEVEL_SITE":
      return t("errorCodes.NOT_TOP_LEVEL_SITE");
    case "RUN_NOT_ACTIVE":
      return t("errorCodes.RUN_NOT_ACTIVE");
    case "UPSTREAM_UNREACHABLE":
      return t("errorCodes.UPSTREAM_UNREACHABLE");
    case "UPSTREAM_HTTP_ERROR":
      return t("errorCodes.UPSTREAM_HTTP_ERROR");
    case "UPSTREAM_SOAP_FAULT":
      return t("errorCodes.UPSTREAM_SOAP_FAULT");
    case "UPSTREAM_AUTH_FAILED":
      return t("errorCodes.UPSTREAM_AUTH_FAILED");
    case "UPSTREAM_PROTOCOL_ERROR":
      return t("errorCodes.UPSTREAM_PROTOCOL_ERROR");
    case "UPSTREAM_UNSAFE_ANSWER":
      return t("errorCodes.UPSTREAM_UNSAFE_ANSWER");
    case "UPSTREAM_TIMEOUT":
      return t("errorCodes.UPSTREAM_TIMEOUT");
    case "UPSTREAM_BAD_RECORD":
      return t("errorCodes.UPSTREAM_BAD_RECORD");
    case "UPSTREAM_URL_NOT_ALLOWED":
      return t("errorCodes.UPSTREAM_URL_NOT_ALLOWED");
    case "SYNC_CANCELED":
      return t("errorCodes.SYNC_CANCELED");
    case "WORKER_LOST":
      return t("errorCodes.WORKER_LOST");
    case "RUN_TIMEOUT":
      return t("errorCodes.RUN_TIMEOUT");
    case "RUN_NOT_RETRYABLE":
      return t("errorCodes.RUN_NOT_RETRYABLE");
    case "ALERT_NOT_ACTIVE":
      return t("errorCodes.ALERT_NOT_ACTIVE");
    case "CATALOG_SEARCH_UNAVAILABLE":
      return t("errorCodes.CATALOG_SEARCH_UNAVAILABLE");
    case "FEATURE_UPDATE_NOT_IMPORTABLE":
      return t("errorCodes.FEATURE_UPDATE_NOT_IMPORTABLE");
    case "IMPORT_NOT_FOUND":
      return t("errorCodes.IMPORT_NOT_FOUND");
    case "IMPORT_NOT_REMOVABLE":
      return t("errorCodes.IMPORT_NOT_REMOVABLE");
    case "PACKAGE_TOO_LARGE":
      return t("errorCodes.PACKAGE_TOO_LARGE");
    case "PACKAGE_TRUNCATED":
      return t("errorCodes.PACKAGE_TRUNCATED");
    case "PACKAGE_CORRUPT":
      return t("errorCodes.PACKAGE_CORRUPT");
    case "PACKAGE_CHECKSUM_MISMATCH":
      return t("errorCodes.PACKAGE_CHECKSUM_MISMATCH");
    case "PACKAGE_FORMAT_UNSUPPORTED":
      return t("errorCodes.PACKAGE_FORMAT_UNSUPPORTED");
    case "PACKAGE_FILTER_MISMATCH":
      return t("errorCodes.PACKAGE_FILTER_MISMATCH");
    case "PACKAGE_OLDER_THAN_CATALOG":
      return t("errorCodes.PACKAGE_OLDER_THAN_CATALOG");
    case "PACKAGE_FILE_MISSING":
      return t("errorCodes.PACKAGE_FILE_MISSING");
    case "PACKAGE_IN_USE":
      return t("errorCodes.PACKAGE_IN_USE");
    case "SITE_NOT_DISCONNECTED":
      return t("errorCodes.SITE_NOT_DISCONNECTED");
    case "CATALOG_NOT_SYNCED":
      return t("errorCodes.CATALOG_NOT_SYNCED");
    case "SITE_CODE_TAKEN":
      return t("errorCodes.SITE_CODE_TAKEN");
    case "SITE_LIMIT_REACHED":
      return t("errorCodes.SITE_LIMIT_REACHED");
    case "SITE_HAS_CHILDREN":
      return t("errorCodes.SITE_HAS_CHILDREN");
    case "TOP_LEVEL_SITE":
      return t("errorCodes.TOP_LEVEL_SITE");
    case "INTERNAL_ERROR":
      return t("errorCodes.INTERNAL_ERROR");
    default:
      return undefined;
  }
}

/** Why a queued run has not started (contracts' WAITING_REASONS); an unknown reason is shown as the server sent it. */
export function waitingReasonText(t: TFunction, reason: string): string {
  switch (reason as WaitingReason) {
    case "worker":
      return t("sync.waitingReasons.worker");
    case "resume":
      return t("sync.waitingReasons.resume");
    case "no-worker":
      return t("sync.waitingReasons.noWorker");
    default:
      return reason;
  }
}
