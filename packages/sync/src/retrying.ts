// Transient upstream failures — timeouts, resets, 5xx, truncated or malformed answers, SOAP InternalServerError — are
// retried inside the run with exponential backoff up to a cap, each retry logged; what still fails after the last
// attempt fails the run. An answer refused as unsafe (WsusssLimitError) is not retried. Every delay is a setting so
// tests can shrink it.
import { WsusssFault, WsusssLimitError, WsusssProtocolError, WsusssTransportError } from "@syncpoint/wsusss";
import type { RevisionFilter, UpdateIdentity } from "@syncpoint/wsusss";
import { SyncCanceled } from "./errors.ts";
import type { RunReporter, UpstreamSession } from "./ports.ts";

export interface RetryPolicy {
  /** Tries per call, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export function isTransient(error: unknown): boolean {
  if (error instanceof WsusssTransportError) return true;
  // An answer refused as unsafe (a DTD, past a size or depth limit, a decompression bomb) comes back the same.
  if (error instanceof WsusssLimitError) return false;
  if (error instanceof WsusssProtocolError) return !/HTTP (?:status )?4\d\d/.test(error.message);
  // InvalidCookie: the client re-authorizes on the next call (a restarted upstream forgets its cookies).
  if (error instanceof WsusssFault)
    return error.errorCode === "InternalServerError" || error.errorCode === "InvalidCookie";
  return false;
}

/** The delay before retry `n` (1-based): base × 2^(n-1), capped. */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new SyncCanceled());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SyncCanceled());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export async function withRetries<T>(
  operation: string,
  call: () => Promise<T>,
  options: { policy: RetryPolicy; reporter: RunReporter; signal?: AbortSignal },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (options.signal?.aborted) throw new SyncCanceled();
      if (!isTransient(error) || attempt >= options.policy.attempts) throw error;
      const delay = backoffDelay(options.policy, attempt);
      await options.reporter.log(
        `Retrying ${operation} after: ${describe(error)} (attempt ${attempt + 1} of ${options.policy.attempts}, in ${(delay / 1000).toFixed(1)} s)`,
        "warning",
      );
      await sleep(delay, options.signal);
    }
  }
}

/** An UpstreamSession whose every call is retried on transient failures. */
export class RetryingUpstream implements UpstreamSession {
  constructor(
    private readonly inner: UpstreamSession,
    private readonly options: { policy: RetryPolicy; reporter: RunReporter; signal?: AbortSignal },
  ) {}

  authorize() {
    return withRetries("the authorization", () => this.inner.authorize(), this.options);
  }

  getConfigData() {
    return withRetries("GetConfigData", () => this.inner.getConfigData(), this.options);
  }

  getRevisionIdList(filter: RevisionFilter) {
    return withRetries("GetRevisionIdList", () => this.inner.getRevisionIdList(filter), this.options);
  }

  getUpdateData(ids: UpdateIdentity[]) {
    return withRetries("GetUpdateData", () => this.inner.getUpdateData(ids), this.options);
  }
}
