import { WsusssFault, WsusssLimitError, WsusssProtocolError, WsusssTransportError } from "@syncpoint/wsusss";
import { describe, expect, it } from "vitest";
import { SyncCanceled } from "./errors.ts";
import type { RunReporter } from "./ports.ts";
import { backoffDelay, isTransient, withRetries } from "./retrying.ts";

function recorder(): RunReporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    phase: async () => undefined,
    progress: async () => undefined,
    statusMessage: async () => undefined,
    log: async (text) => void lines.push(text),
  };
}

const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 };

describe("withRetries", () => {
  it("retries transient failures with backoff, logging each, then returns the result", async () => {
    const reporter = recorder();
    let calls = 0;
    const result = await withRetries(
      "GetUpdateData",
      async () => {
        if (++calls < 3) throw new WsusssTransportError("connection reset", new Error("ECONNRESET"));
        return "ok";
      },
      { policy, reporter },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(3);
    expect(reporter.lines).toEqual([
      "Retrying GetUpdateData after: connection reset (attempt 2 of 4, in 0.0 s)",
      "Retrying GetUpdateData after: connection reset (attempt 3 of 4, in 0.0 s)",
    ]);
  });

  it("gives up after the last attempt with the last error", async () => {
    const error = new WsusssFault("InternalServerError", "boom", "GetUpdateData");
    await expect(
      withRetries("GetUpdateData", async () => Promise.reject(error), { policy, reporter: recorder() }),
    ).rejects.toBe(error);
  });

  it("does not retry what retrying cannot fix", async () => {
    let calls = 0;
    const error = new WsusssFault("InvalidParameters", "filter");
    await expect(
      withRetries(
        "GetRevisionIdList",
        async () => {
          calls++;
          throw error;
        },
        { policy, reporter: recorder() },
      ),
    ).rejects.toBe(error);
    expect(calls).toBe(1);
  });

  it("stops waiting when the run is canceled", async () => {
    const controller = new AbortController();
    const pending = withRetries(
      "GetUpdateData",
      async () => {
        throw new WsusssTransportError("timed out", undefined);
      },
      {
        policy: { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
        reporter: recorder(),
        signal: controller.signal,
      },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(pending).rejects.toBeInstanceOf(SyncCanceled);
  });
});

describe("classification and backoff", () => {
  it("treats network errors, 5xx, truncation and InternalServerError as transient", () => {
    expect(isTransient(new WsusssTransportError("timed out", undefined))).toBe(true);
    expect(isTransient(new WsusssProtocolError("unexpected HTTP 503", "GetConfigData"))).toBe(true);
    expect(isTransient(new WsusssProtocolError("the XML ends inside <soap:Body>", "GetConfigData"))).toBe(true);
    expect(isTransient(new WsusssFault("InternalServerError"))).toBe(true);
    expect(isTransient(new WsusssProtocolError("unexpected HTTP 404", "GetConfigData"))).toBe(false);
    expect(isTransient(new WsusssFault("InvalidCookie"))).toBe(true);
    expect(isTransient(new WsusssFault("InvalidAuthorizationCookie"))).toBe(false);
    expect(isTransient(new Error("bug"))).toBe(false);
    // Refused as unsafe (a DTD, past a limit): the same answer would come back.
    expect(isTransient(new WsusssLimitError("refused XML: more than 500000 elements", "GetUpdateData"))).toBe(false);
  });

  it("doubles up to the cap", () => {
    const p = { attempts: 9, baseDelayMs: 1_000, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(p, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });
});
