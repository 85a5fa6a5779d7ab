import type { ErrorCode } from "@syncpoint/contracts";
import { WsusssFault, WsusssLimitError, WsusssProtocolError, WsusssTransportError } from "@syncpoint/wsusss";

/** A run's failure with the code Monitoring shows and explains. */
export class SyncError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class SyncCanceled extends SyncError {
  constructor() {
    super("SYNC_CANCELED", "The synchronization was canceled.");
  }
}

/** Maps what the protocol layer threw to a run error code and a sentence an administrator can act on. */
export function toSyncError(error: unknown, upstream: string): SyncError {
  if (error instanceof SyncError) return error;
  if (error instanceof WsusssFault) {
    const auth = error.errorCode === "InvalidCookie" || error.errorCode === "InvalidAuthorizationCookie";
    return new SyncError(
      auth ? "UPSTREAM_AUTH_FAILED" : "UPSTREAM_SOAP_FAULT",
      `${upstream} answered ${error.method ?? "a request"} with the SOAP fault ${error.errorCode}${error.faultMessage ? ` (${error.faultMessage})` : ""}.`,
      { cause: error },
    );
  }
  if (error instanceof WsusssTransportError) {
    const timeout = /timed out/i.test(error.message);
    return new SyncError(
      timeout ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNREACHABLE",
      `${upstream} ${timeout ? "did not answer in time" : "could not be reached"}: ${error.message}`,
      { cause: error },
    );
  }
  if (error instanceof WsusssLimitError) {
    return new SyncError(
      "UPSTREAM_UNSAFE_ANSWER",
      `${upstream} sent an answer that was refused as unsafe: ${error.message}`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof WsusssProtocolError) {
    const http = /HTTP (?:status )?(\d{3})/.exec(error.message);
    return new SyncError(http ? "UPSTREAM_HTTP_ERROR" : "UPSTREAM_PROTOCOL_ERROR", `${upstream}: ${error.message}`, {
      cause: error,
    });
  }
  return new SyncError("INTERNAL_ERROR", (error as Error)?.message ?? String(error), { cause: error });
}
